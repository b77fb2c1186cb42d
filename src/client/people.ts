/** Read state (RD1–RD4), assignment (A1–A2) and contacts (CT1). */
import { DeskError } from '../errors.js';
import { toE164 } from '../phone.js';
import { assertCanAssign } from '../rules/assignment.js';
import { applyRead, assertCanMark } from '../rules/read-state.js';
import type { Contact, ContactInput, UserId } from '../types.js';
import { conversation, me, toDeskError, type Core, stateOf } from './state.js';
import { patchConversations, renameRows } from './views.js';

/** CT1: the detail that tells a UI which field to fill in. */
const NAME_MISSING = { details: { field: 'firstName' } };

export async function mark(
  core: Core,
  ids: string[],
  read: boolean,
  mode: 'owner' | 'admin',
): Promise<void> {
  if (ids.length === 0) throw new DeskError('invalid_input', 'Choose at least one conversation.');
  const conversations = ids.map((id) => conversation(core, id));
  assertCanMark(conversations, me(core), mode);
  // Optimistic, and put back if the backend refuses.
  patchConversations(
    core,
    conversations.map((c) => applyRead(c, read)),
  );
  try {
    patchConversations(core, await core.adapter.markRead(ids, read, mode));
  } catch (cause) {
    patchConversations(core, conversations, true);
    throw toDeskError(cause);
  }
}

/** A1, A2 (admins only): assign conversations to one standard user. */
export async function assign(core: Core, ids: string[], assigneeId: UserId): Promise<void> {
  const assignee = stateOf(core).users.get(assigneeId);
  assertCanAssign(me(core), assignee, ids.length);
  ids.forEach((id) => conversation(core, id));
  patchConversations(core, await core.adapter.assign(ids, assigneeId));
}

/** CT1: save a number as a contact; its name shows at once in every conversation and in search. */
export async function saveContact(core: Core, input: ContactInput): Promise<Contact> {
  if (!input.firstName?.trim())
    throw new DeskError('invalid_input', 'A contact needs a name.', NAME_MISSING);
  const phone = await toE164(input);
  if (stateOf(core).contacts.has(phone)) {
    throw new DeskError('conflict', 'A contact with that number exists; edit it instead.', {
      details: { phone },
    });
  }
  const contact = await core.adapter.createContact({
    ...input,
    phone,
    countryCallingCode: undefined,
    nationalNumber: undefined,
  });
  putContact(core, contact);
  return contact;
}

/** CT1: edit a contact from the desk. */
export async function updateContact(
  core: Core,
  id: string,
  patch: Partial<ContactInput>,
): Promise<Contact> {
  if (patch.firstName !== undefined && !patch.firstName.trim()) {
    throw new DeskError('invalid_input', 'A contact needs a name.', NAME_MISSING);
  }
  const known = [...stateOf(core).contacts.values()].find((c) => c.id === id);
  if (!known) throw new DeskError('not_found', `Unknown contact ${id}.`, { details: { id } });
  const phone = patch.phone || patch.nationalNumber ? await toE164(patch) : undefined;
  const contact = await core.adapter.updateContact(id, {
    ...patch,
    ...(phone && { phone }),
    countryCallingCode: undefined,
    nationalNumber: undefined,
  });
  putContact(core, contact, known.phone);
  return contact;
}

function putContact(core: Core, contact: Contact, previousPhone?: string): void {
  const s = stateOf(core);
  const current = s.contacts.get(contact.phone);
  if (current && current.updatedAt > contact.updatedAt) return;
  const contacts = new Map(s.contacts);
  if (previousPhone && previousPhone !== contact.phone) contacts.delete(previousPhone);
  contacts.set(contact.phone, contact);
  renameRows(core, contacts, [contact.phone, ...(previousPhone ? [previousPhone] : [])]);
  core.store.setState({ ...s, contacts });
}
