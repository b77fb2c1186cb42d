/** The account: seed, settings (RT3, SN6), consent and opt-outs (SN4, SN5), contacts (S2, CT1). */
import type { Session } from '../../adapter.js';
import { DeskError } from '../../errors.js';
import { toE164 } from '../../phone.js';
import { validateBusinessHours } from '../../rules/business-hours.js';
import { validateSenderId } from '../../rules/permissions.js';
import { foldText } from '../../rules/text.js';
import type {
  AccountSettings,
  Channel,
  Contact,
  Page,
  RecipientPolicy,
  SenderId,
  Template,
  User,
  UserId,
} from '../../types.js';
import { applyOptOut } from '../../rules/opt-out.js';
import { EVERYONE } from '../audience.js';
import { command, recipientOf, requireUser, type EngineContext } from '../context.js';
import {
  ContactInputSchema,
  ContactPatchSchema,
  IdSchema,
  PageQuerySchema,
  parseInput,
  PhoneTextSchema,
  SearchContactsSchema,
} from '../schemas.js';

export interface SeedData {
  users: User[];
  senders: SenderId[];
  settings: AccountSettings;
  contacts?: Array<
    Omit<Contact, 'createdAt' | 'updatedAt'> & Partial<Pick<Contact, 'createdAt' | 'updatedAt'>>
  >;
  templates?: Template[];
  recipients?: RecipientPolicy[];
}

/** Sets up the account: users, sender IDs, settings, contacts, templates, consents. */
export async function seed(ctx: EngineContext, data: SeedData): Promise<void> {
  const users = new Map(data.users.map((u) => [parseInput(IdSchema, u.id, 'users.id'), u]));
  for (const sender of data.senders) validateSenderId(sender, users);
  if (users.get(data.settings.defaultAdminId)?.role !== 'admin') {
    throw new DeskError('invalid_input', 'The default admin (RT3) must be an admin user.');
  }
  if (data.settings.businessHours) validateBusinessHours(data.settings.businessHours);
  const now = ctx.clock.now();
  const contacts: Contact[] = [];
  for (const c of data.contacts ?? []) {
    const phone = await toE164(c.phone);
    contacts.push({ ...c, phone, createdAt: c.createdAt ?? now, updatedAt: c.updatedAt ?? now });
  }
  const recipients: RecipientPolicy[] = [];
  for (const r of data.recipients ?? []) recipients.push({ ...r, phone: await toE164(r.phone) });
  await command(ctx, async ({ store }) => {
    for (const u of data.users) await store.putUser(u);
    for (const s of data.senders) await store.putSender(s);
    for (const c of contacts) await store.putContact(c);
    for (const t of data.templates ?? []) await store.putTemplate(t);
    for (const r of recipients) await store.putRecipient(r);
    await store.putSettings(data.settings);
  });
}

export async function setBusinessHours(
  ctx: EngineContext,
  hours: AccountSettings['businessHours'],
): Promise<AccountSettings> {
  if (hours) validateBusinessHours(hours);
  return command(ctx, async (unit) => {
    const current = (await unit.store.getSettings()) ?? { defaultAdminId: '' };
    const settings: AccountSettings = { ...current, businessHours: hours };
    await unit.store.putSettings(settings);
    unit.emit({ type: 'settings.updated', settings }, EVERYONE);
    return settings;
  });
}

/** SN4: record (or withdraw) a number's WhatsApp consent. */
export async function setConsent(ctx: EngineContext, phone: string, consent: boolean) {
  const e164 = await toE164(parseInput(PhoneTextSchema, phone, 'phone'));
  await command(ctx, async (unit) => {
    const next = { ...(await recipientOf(unit.store, e164)), whatsappConsent: consent };
    await unit.store.putRecipient(next);
    unit.emit({ type: 'recipient.updated', recipient: next }, EVERYONE);
  });
}

/** SN5: record that a number opted out of (or back into) a channel. */
export async function optOut(ctx: EngineContext, phone: string, channel: Channel, out: boolean) {
  const e164 = await toE164(parseInput(PhoneTextSchema, phone, 'phone'));
  await command(ctx, async (unit) => {
    const next = applyOptOut(await recipientOf(unit.store, e164), channel, out ? 'out' : 'in');
    await unit.store.putRecipient(next);
    unit.emit({ type: 'recipient.updated', recipient: next }, EVERYONE);
  });
}

export async function session(ctx: EngineContext, userId: UserId): Promise<Session> {
  return command(ctx, async ({ store }) => ({
    user: await requireUser(store, userId),
    settings: (await store.getSettings()) ?? { defaultAdminId: '' },
  }));
}

export async function listContacts(
  ctx: EngineContext,
  query: unknown = {},
): Promise<Page<Contact>> {
  const q = parseInput(PageQuerySchema, query ?? {}, 'query');
  const limit = Math.min(q.limit ?? 500, 1000);
  return command(ctx, async ({ store }) => {
    const found = await store.listContacts({ after: q.cursor ?? undefined, limit: limit + 1 });
    const items = found.slice(0, limit);
    return { items, nextCursor: found.length > limit ? items.at(-1)!.id : null };
  });
}

/** SN1: suggestions while typing a name or a number. */
export async function searchContacts(ctx: EngineContext, text: unknown, limit?: unknown) {
  const q = parseInput(SearchContactsSchema, { text, limit: limit ?? 8 });
  const digits = q.text.replace(/\D/g, '');
  return command(ctx, ({ store }) =>
    store.searchContacts({
      text: foldText(q.text.trim()),
      digits: digits.length >= 2 ? digits : '',
      limit: q.limit ?? 8,
    }),
  );
}

export async function getRecipient(ctx: EngineContext, phone: unknown): Promise<RecipientPolicy> {
  const e164 = await toE164(parseInput(PhoneTextSchema, phone, 'phone'));
  return command(ctx, ({ store }) => recipientOf(store, e164));
}

/** CT1: save a number as a contact; the name shows at once everywhere (contact.saved). */
export async function createContact(ctx: EngineContext, input: unknown): Promise<Contact> {
  const data = parseInput(ContactInputSchema, input, 'contact');
  const phone = await toE164(data);
  return command(ctx, async (unit) => {
    if (await unit.store.getContactByPhone(phone))
      throw new DeskError('conflict', 'A contact with that number exists.', { details: { phone } });
    const contact: Contact = {
      id: ctx.createId(),
      phone,
      firstName: data.firstName.trim(),
      lastName: data.lastName?.trim() ?? '',
      ...(data.email && { email: data.email.trim() }),
      createdAt: unit.now,
      updatedAt: unit.now,
    };
    await unit.store.putContact(contact);
    unit.emit({ type: 'contact.saved', contact }, EVERYONE);
    return contact;
  });
}

/** CT1: edit a contact from the desk. */
export async function updateContact(ctx: EngineContext, id: unknown, patch: unknown) {
  const contactId = parseInput(IdSchema, id, 'id');
  const data = parseInput(ContactPatchSchema, patch ?? {}, 'patch');
  const newPhone = data.phone || data.nationalNumber ? await toE164(data) : undefined;
  return command(ctx, async (unit) => {
    const current = await unit.store.getContact(contactId);
    if (!current)
      throw new DeskError('not_found', `Unknown contact ${contactId}.`, { details: { id } });
    const phone = newPhone ?? current.phone;
    const other = await unit.store.getContactByPhone(phone);
    if (other && other.id !== contactId)
      throw new DeskError('conflict', 'Another contact has that number.', { details: { phone } });
    const contact: Contact = {
      ...current,
      phone,
      firstName: data.firstName?.trim() ?? current.firstName,
      lastName: data.lastName?.trim() ?? current.lastName,
      ...(data.email !== undefined && { email: data.email.trim() }),
      updatedAt: Math.max(unit.now, current.updatedAt + 1),
    };
    await unit.store.putContact(contact, current.phone);
    unit.emit({ type: 'contact.saved', contact }, EVERYONE);
    return contact;
  });
}
