/** V1–V6: which conversations each list shows, in which order, and how search matches. */
import { DeskError } from '../errors.js';
import type { Contact, Conversation, SenderId, User, UserId } from '../types.js';
import { hasSenderAccess, isAdmin } from './permissions.js';
import { foldText } from './text.js';

export type ViewKey =
  | { kind: 'mine' }
  | { kind: 'sender'; senderId: string }
  | { kind: 'team'; userId: UserId }
  | { kind: 'sent' };

/** The field each kind of view names (none for the user's own lists). */
const VIEW_FIELDS: Record<ViewKey['kind'], 'senderId' | 'userId' | undefined> = {
  mine: undefined,
  sent: undefined,
  sender: 'senderId',
  team: 'userId',
};

/**
 * V1–V6: throws `invalid_input` unless `key` names a known view. A plain check, not a schema: the
 * client asks it synchronously on every render, and valibot stays out of its first load.
 */
export function assertViewKey(key: unknown): asserts key is ViewKey {
  const k = key as Partial<Record<'kind' | 'senderId' | 'userId', unknown>> | null;
  const kind = String(k?.kind);
  const known = Object.hasOwn(VIEW_FIELDS, kind);
  const id = known ? VIEW_FIELDS[kind as ViewKey['kind']] : undefined;
  const bad = !known
    ? 'kind'
    : id && !(typeof k?.[id] === 'string' && k[id] !== '')
      ? id
      : undefined;
  if (bad) {
    throw new DeskError('invalid_input', `\`view.${bad}\` is not a known view.`, {
      details: { field: `view.${bad}`, received: String(k?.[bad]) },
    });
  }
}

export function viewId(view: ViewKey): string {
  switch (view.kind) {
    case 'sender':
      return `sender:${view.senderId}`;
    case 'team':
      return `team:${view.userId}`;
    default:
      return view.kind;
  }
}

/** Whether `conversation` belongs to `view` as seen by `viewer`. */
export function inView(view: ViewKey, conversation: Conversation, viewer: User): boolean {
  switch (view.kind) {
    case 'mine': // V1
      return conversation.hasIncoming && conversation.ownerId === viewer.id;
    case 'sender': // V2: mine on that sender ID; an admin sees all of them
      return (
        conversation.hasIncoming &&
        conversation.senderId === view.senderId &&
        (isAdmin(viewer) || conversation.ownerId === viewer.id)
      );
    case 'team': // V3: a standard user's My Inbox, as an admin sees it
      return isAdmin(viewer) && conversation.hasIncoming && conversation.ownerId === view.userId;
    case 'sent': // V4: I sent at least one outgoing message, whoever owns it now
      return conversation.outgoingBy.includes(viewer.id);
  }
}

/** V2: one inbox per sender ID the user owns or shares. */
export function senderInboxes(user: User, senders: Iterable<SenderId>): SenderId[] {
  return [...senders].filter((sender) => hasSenderAccess(user, sender));
}

/** V3, U1: a user has a Team Inbox entry when it is a standard user with a portal license. */
export const isTeamMember = (user: User): boolean => user.role === 'standard' && user.portalLicense;

/** V3: one Team Inbox entry per standard user with a portal license (admins only). */
export function teamMembers(viewer: User, users: Iterable<User>): User[] {
  if (!isAdmin(viewer)) return [];
  return [...users].filter(isTeamMember).sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * V3: a Team Inbox view exists only for a licensed standard user; any other user (an admin, an
 * unlicensed or unknown user) has none: `not_found`, as for an unknown id.
 */
export function assertTeamMember(member: User | undefined, userId: UserId): void {
  if (!member || !isTeamMember(member)) {
    throw new DeskError('not_found', 'That user has no Team Inbox.', {
      details: { field: 'view.userId', userId },
    });
  }
}

/** V5: newest activity first; ties broken by id so the order is stable. */
export function byActivity(a: Conversation, b: Conversation): number {
  return b.lastActivityAt - a.lastActivityAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** V6: only My Inbox and Sent Messages offer search. */
export function isSearchable(view: ViewKey): boolean {
  return view.kind === 'mine' || view.kind === 'sent';
}

export { foldText };

export interface SearchQuery {
  /** Folded text, matched against the contact name. */
  text: string;
  /** The query's digits, matched anywhere in the number with or without its country code. */
  digits: string;
}

/** V6: a query is a name fragment, or digits (spaces, dashes, brackets and a leading + allowed). */
export function parseSearch(query: string): SearchQuery | null {
  const trimmed = query.trim();
  if (!trimmed) return null;
  const isNumber = /^[+\d\s().-]+$/.test(trimmed) && /\d/.test(trimmed);
  return {
    text: isNumber ? '' : foldText(trimmed),
    digits: isNumber ? trimmed.replace(/\D/g, '') : '',
  };
}

export function contactName(contact: Pick<Contact, 'firstName' | 'lastName'> | undefined): string {
  return contact ? `${contact.firstName} ${contact.lastName}`.trim() : '';
}

/** SN1: a full name as typed, split into first name and the rest (the last name). */
export function splitName(name: string): { firstName: string; lastName: string } {
  const [firstName = '', ...rest] = name.trim().split(/\s+/);
  return { firstName, lastName: rest.join(' ') };
}

/** V6 for one conversation; the client's search index gives the same answers faster. */
export function matchesSearch(query: SearchQuery, customer: string, name: string): boolean {
  if (query.digits) return customer.replace(/\D/g, '').includes(query.digits);
  return foldText(name).includes(query.text);
}
