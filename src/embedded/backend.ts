/**
 * The embedded backend: runs the rules of RULES.md itself, for many users at once, persists in
 * IndexedDB, and simulates a messaging provider. `connect(userId)` gives one user's adapter.
 */
import mitt from 'mitt';
import type {
  BackendAdapter,
  ConversationQuery,
  PageQuery,
  SendContent,
  SendRequest,
  SendResult,
  ServerEvent,
  Session,
} from '../adapter.js';
import { systemClock, type Clock } from '../clock.js';
import { DeskError } from '../errors.js';
import { toE164 } from '../phone.js';
import { applyAssignment, assertCanAssign } from '../rules/assignment.js';
import { validateBusinessHours, nextOpening } from '../rules/business-hours.js';
import { assertAdmin, assertCanSend, canSee, validateSenderId } from '../rules/permissions.js';
import { applyRead, assertCanMark } from '../rules/read-state.js';
import { applyIncoming, applyOutgoing, previewOf, routeIncoming } from '../rules/routing.js';
import { applyOptOut, optOutChange } from '../rules/opt-out.js';
import { assertSendable, guardSend, validateMedia } from '../rules/send-guard.js';
import { applyStatus, retryMessage, type StatusUpdate } from '../rules/status.js';
import { checkTemplate, fillTemplate } from '../rules/templates.js';
import { byActivity, contactName, foldText, inView } from '../rules/views.js';
import type {
  AccountSettings,
  Channel,
  Contact,
  ContactInput,
  Conversation,
  Media,
  Message,
  MessageStatus,
  Page,
  RecipientPolicy,
  RoutingExplanation,
  SenderId,
  Template,
  User,
  UserId,
} from '../types.js';
import {
  memoryPersistence,
  openIndexedDbPersistence,
  type Persistence,
  type Snapshot,
} from './persistence.js';

export interface ProviderSimulation {
  /** Delays after which a dispatched message reaches each status; `read` only on WhatsApp. */
  sentAfterMs: number;
  deliveredAfterMs: number;
  readAfterMs: number;
}

export interface EmbeddedBackendOptions {
  clock?: Clock;
  /** IndexedDB database name. Without one, nothing is persisted. */
  databaseName?: string;
  provider?: Partial<ProviderSimulation>;
  createId?: () => string;
}

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

export interface IncomingInput {
  senderId: string;
  /** The customer's number, E.164. */
  from: string;
  text?: string;
  media?: Media[];
}

export interface CampaignInput {
  senderId: string;
  /** The user who sends the campaign. */
  userId: UserId;
  to: string[];
  text: string;
}

type Audience = (user: User) => boolean;

const DEFAULT_PROVIDER: ProviderSimulation = {
  sentAfterMs: 400,
  deliveredAfterMs: 1500,
  readAfterMs: 5000,
};
const pairKey = (senderId: string, customer: string) => `${senderId}|${customer}`;

export class EmbeddedBackend {
  readonly clock: Clock;
  readonly #persistence: Persistence;
  readonly #provider: ProviderSimulation;
  readonly #createId: () => string;
  readonly #bus = mitt<{ event: { event: ServerEvent; audience: Audience } }>();

  readonly #users = new Map<UserId, User>();
  readonly #senders = new Map<string, SenderId>();
  readonly #contacts = new Map<string, Contact>();
  readonly #contactByPhone = new Map<string, Contact>();
  readonly #templates = new Map<string, Template>();
  readonly #recipients = new Map<string, RecipientPolicy>();
  #settings: AccountSettings = { defaultAdminId: '' };
  readonly #conversations = new Map<string, Conversation>();
  readonly #conversationByPair = new Map<string, string>();
  readonly #messages = new Map<string, Message>();
  readonly #thread = new Map<string, Message[]>();
  /** C3: campaign messages not yet part of a conversation, by sender ID and number. */
  readonly #campaigns = new Map<string, Message[]>();
  readonly #byKey = new Map<string, string>();
  /** Sends that will fail at the provider, by number (for demos and tests of SN7 failure). */
  readonly #failures = new Map<string, string>();
  /** SN6: ids of messages waiting for business hours. */
  readonly #queued = new Set<string>();
  #releaseTimer: unknown = null;

  private constructor(persistence: Persistence, options: EmbeddedBackendOptions) {
    this.#persistence = persistence;
    this.clock = options.clock ?? systemClock;
    this.#provider = { ...DEFAULT_PROVIDER, ...options.provider };
    this.#createId = options.createId ?? (() => globalThis.crypto.randomUUID());
  }

  /** Opens (or creates) a backend, loading what a previous page load persisted. */
  static async open(options: EmbeddedBackendOptions = {}): Promise<EmbeddedBackend> {
    const persistence = options.databaseName
      ? await openIndexedDbPersistence(options.databaseName)
      : memoryPersistence();
    const backend = new EmbeddedBackend(persistence, options);
    backend.#restore(await persistence.load());
    return backend;
  }

  /** Whether the backend holds any account data yet (so a demo seeds only once). */
  get seeded(): boolean {
    return this.#users.size > 0;
  }

  /** Sets up the account: users, sender IDs, settings, contacts, templates, consents. */
  async seed(data: SeedData): Promise<void> {
    const users = new Map(data.users.map((u) => [u.id, u]));
    for (const sender of data.senders) validateSenderId(sender, users);
    if (users.get(data.settings.defaultAdminId)?.role !== 'admin') {
      throw new DeskError('invalid_input', 'The default admin (RT3) must be an admin user.');
    }
    if (data.settings.businessHours) validateBusinessHours(data.settings.businessHours);
    const contacts: Contact[] = [];
    for (const c of data.contacts ?? []) {
      const now = this.clock.now();
      contacts.push({
        ...c,
        phone: await toE164(c.phone),
        createdAt: c.createdAt ?? now,
        updatedAt: c.updatedAt ?? now,
      });
    }
    for (const u of data.users) this.#put('users', this.#users, u);
    for (const s of data.senders) this.#put('senders', this.#senders, s);
    for (const c of contacts) this.#putContact(c);
    for (const t of data.templates ?? []) this.#put('templates', this.#templates, t);
    for (const r of data.recipients ?? [])
      this.#putRecipient({ ...r, phone: await toE164(r.phone) });
    this.#settings = data.settings;
    this.#persistence.put('meta', { key: 'settings', value: data.settings });
  }

  setBusinessHours(hours: AccountSettings['businessHours']): void {
    if (hours) validateBusinessHours(hours);
    this.#settings = { ...this.#settings, businessHours: hours };
    this.#persistence.put('meta', { key: 'settings', value: this.#settings });
    this.#emit({ type: 'settings.updated', settings: this.#settings }, () => true);
    this.#scheduleRelease();
  }

  /** SN4: record (or withdraw) a number's WhatsApp consent. */
  async setConsent(phone: string, consent: boolean): Promise<void> {
    const policy = this.#recipient(await toE164(phone));
    this.#putRecipient({ ...policy, whatsappConsent: consent });
  }

  /** SN5: record that a number opted out of (or back into) a channel. */
  async setOptOut(phone: string, channel: Channel, optedOut: boolean): Promise<void> {
    this.#setOptOut(this.#recipient(await toE164(phone)), channel, optedOut);
  }

  /** The next provider dispatch to this number fails with `reason` (SN7 failure simulation). */
  async failNextSend(phone: string, reason = 'Carrier rejected the message'): Promise<void> {
    this.#failures.set(await toE164(phone), reason);
  }

  /** Waits until everything changed so far is written to IndexedDB. */
  flush(): Promise<void> {
    return this.#persistence.flush();
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.#releaseTimer) this.clock.clearTimeout(this.#releaseTimer);
    this.#persistence.close();
  }

  /** The adapter for one signed-in user; every call checks that user's permissions (U2). */
  connect(userId: UserId): BackendAdapter {
    if (!this.#users.has(userId))
      throw new DeskError('not_found', `Unknown user ${userId}.`, { details: { userId } });
    return new EmbeddedAdapter(this, userId);
  }

  // ---- simulation API ------------------------------------------------------------------------

  /** A customer's message arrives (RT1–RT5, C3). Returns where it went and why. */
  async simulateIncoming(
    input: IncomingInput,
  ): Promise<{ conversation: Conversation; message: Message; routing: RoutingExplanation }> {
    const sender = this.#sender(input.senderId);
    const from = await toE164(input.from);
    const text = input.text?.trim() ?? '';
    if (!text && !input.media?.length)
      throw new DeskError('invalid_input', 'An incoming message needs text or media.');
    return this.#receive(sender, from, text, input.media ?? []);
  }

  /** C3: a bulk send that creates no conversation until a customer replies. */
  async sendCampaign(
    input: CampaignInput,
  ): Promise<{ sent: string[]; skipped: Array<{ phone: string; code: string }> }> {
    const sender = this.#sender(input.senderId);
    const user = this.#user(input.userId);
    assertCanSend(user, sender);
    if (!input.text.trim()) throw new DeskError('invalid_input', 'A campaign needs text.');
    const sent: string[] = [];
    const skipped: Array<{ phone: string; code: string }> = [];
    for (const raw of input.to) {
      const phone = await toE164(raw);
      if (this.#recipient(phone).optedOut.includes(sender.channel)) {
        skipped.push({ phone, code: 'opted_out' }); // SN5
        continue;
      }
      const now = this.clock.now();
      const message: Message = {
        id: this.#createId(),
        conversationId: '',
        direction: 'out',
        text: input.text,
        media: [],
        sentBy: user.id,
        campaign: true,
        status: 'delivered',
        statusTimes: { queued: now, sent: now, delivered: now },
        attempt: 1,
        createdAt: now,
      };
      const key = pairKey(sender.id, phone);
      const pending = [...(this.#campaigns.get(key) ?? []), message];
      this.#campaigns.set(key, pending);
      this.#persistence.put('meta', { key: `campaign:${key}`, value: pending });
      sent.push(phone);
    }
    return { sent, skipped };
  }

  // ---- used by the adapter -------------------------------------------------------------------

  /** @internal */ user(id: UserId): User {
    return this.#user(id);
  }

  /** @internal */ session(userId: UserId): Session {
    return { user: this.#user(userId), settings: this.#settings };
  }

  /** @internal */ listUsers(): User[] {
    return [...this.#users.values()];
  }

  /** @internal */ listSenderIds(): SenderId[] {
    return [...this.#senders.values()];
  }

  /** @internal */ listTemplates(): Template[] {
    return [...this.#templates.values()];
  }

  /** @internal */ listContacts(query: PageQuery = {}): Page<Contact> {
    const all = [...this.#contacts.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    return pageOf(
      all,
      query,
      (c) => c.id,
      (c, cursor) => c.id > cursor,
    );
  }

  /** @internal */ searchContacts(text: string, limit: number): Contact[] {
    const folded = foldText(text);
    const digits = text.replace(/\D/g, '');
    const found: Contact[] = [];
    for (const c of this.#contacts.values()) {
      const byName = folded && foldText(contactName(c)).includes(folded);
      const byDigits = digits.length >= 2 && c.phone.replace(/\D/g, '').includes(digits);
      if (byName || byDigits) found.push(c);
      if (found.length >= limit) break;
    }
    return found;
  }

  /** @internal */ recipient(phone: string): RecipientPolicy {
    return this.#recipient(phone);
  }

  /** @internal */ listConversations(
    user: User,
    query: ConversationQuery = {},
  ): Page<Conversation> {
    let visible: (c: Conversation) => boolean = (c) => canSee(user, c);
    if (query.scope) {
      assertAdmin(user, 'open the Team Inbox'); // U2
      const view = { kind: 'team', userId: query.scope.teamMember } as const;
      visible = (c) => inView(view, c, user);
    }
    const all = [...this.#conversations.values()].filter(visible).sort(byActivity);
    return pageOf(
      all,
      query,
      (c) => `${c.lastActivityAt}:${c.id}`,
      (c, cursor) => {
        const [at, id] = splitCursor(cursor);
        return c.lastActivityAt < at || (c.lastActivityAt === at && c.id > id);
      },
    );
  }

  /** @internal */ listMessages(
    user: User,
    conversationId: string,
    query: PageQuery = {},
  ): Page<Message> {
    const conversation = this.#visibleConversation(user, conversationId);
    const thread = this.#thread.get(conversation.id) ?? [];
    const limit = clampLimit(query.limit, 50);
    let end = thread.length;
    if (query.cursor) {
      const index = thread.findIndex((m) => m.id === query.cursor);
      if (index < 0)
        throw new DeskError('invalid_input', 'Unknown cursor.', {
          details: { cursor: query.cursor },
        });
      end = index;
    }
    const start = Math.max(0, end - limit);
    return { items: thread.slice(start, end), nextCursor: start > 0 ? thread[start]!.id : null };
  }

  /** @internal */ send(user: User, request: SendRequest): SendResult {
    if (!request.idempotencyKey)
      throw new DeskError('invalid_input', 'A send needs an idempotency key.');
    const done = this.#byKey.get(request.idempotencyKey);
    if (done) return this.#result(done);

    let sender: SenderId;
    let conversation: Conversation | undefined;
    let customer: string;
    if ('conversationId' in request.target) {
      conversation = this.#visibleConversation(user, request.target.conversationId);
      sender = this.#sender(conversation.senderId);
      customer = conversation.customer;
    } else {
      sender = this.#sender(request.target.senderId);
      customer = request.target.customer;
      if (!/^\+[1-9]\d{6,14}$/.test(customer))
        throw new DeskError('invalid_phone', 'The number is not in E.164 form.');
      const id = this.#conversationByPair.get(pairKey(sender.id, customer));
      conversation = id ? this.#conversations.get(id) : undefined;
    }
    assertCanSend(user, sender, conversation);
    const { text, template } = this.#content(request.content, sender.channel, customer);
    const now = this.clock.now();
    const verdict = guardSend({
      channel: sender.channel,
      lastIncomingAt: conversation?.lastIncomingAt,
      recipient: this.#recipient(customer),
      content: { text, media: request.content.media, template },
      hours: this.#settings.businessHours,
      now,
    });
    assertSendable(verdict);

    conversation ??= this.#newConversation(sender, customer, user.id, now);
    const at = this.#nextTime(conversation.id);
    const message: Message = {
      id: this.#createId(),
      conversationId: conversation.id,
      direction: 'out',
      text,
      media: request.content.media ?? [],
      ...(template && {
        template: { id: template.id, name: template.name, registered: template.registered },
      }),
      sentBy: user.id,
      status: 'queued',
      statusTimes: { queued: at },
      attempt: 1,
      idempotencyKey: request.idempotencyKey,
      createdAt: at,
      ...(verdict.outcome === 'queued' && {
        queueReason: 'business_hours' as const,
        queuedUntil: verdict.until,
      }),
    };
    this.#byKey.set(request.idempotencyKey, message.id);
    this.#storeMessage(message);
    const before = conversation;
    const after = this.#save(applyOutgoing(conversation, message));
    this.#emit({ type: 'message.created', message, conversation: after }, seenBy(before, after));
    if (verdict.outcome === 'queued') this.#scheduleRelease();
    else this.#dispatch(message);
    return { message, conversation: after };
  }

  /** @internal */ retry(user: User, messageId: string, idempotencyKey: string): SendResult {
    const done = this.#byKey.get(idempotencyKey);
    if (done) return this.#result(done);
    const message = this.#messages.get(messageId);
    if (!message)
      throw new DeskError('not_found', `Unknown message ${messageId}.`, { details: { messageId } });
    const conversation = this.#visibleConversation(user, message.conversationId);
    const sender = this.#sender(conversation.senderId);
    assertCanSend(user, sender, conversation);
    const now = this.clock.now();
    const retried = retryMessage(message, now); // SN7: only a failed message
    const verdict = this.#guardStored(conversation, message, now);
    assertSendable(verdict);
    const next: Message = {
      ...retried,
      ...(verdict.outcome === 'queued' && {
        queueReason: 'business_hours' as const,
        queuedUntil: verdict.until,
      }),
    };
    this.#byKey.set(idempotencyKey, next.id);
    this.#storeMessage(next);
    const after = this.#save(this.#withPreview(conversation, next));
    this.#emit(
      {
        type: 'message.status',
        conversationId: next.conversationId,
        messageId: next.id,
        attempt: next.attempt,
        status: 'queued',
        at: now,
      },
      seenBy(after),
    );
    this.#emit({ type: 'conversation.updated', conversation: after }, seenBy(after));
    if (verdict.outcome === 'queued') this.#scheduleRelease();
    else this.#dispatch(next);
    return { message: next, conversation: after };
  }

  /** @internal */ markRead(
    user: User,
    ids: string[],
    read: boolean,
    mode: 'owner' | 'admin',
  ): Conversation[] {
    if (ids.length === 0) throw new DeskError('invalid_input', 'Choose at least one conversation.');
    const conversations = ids.map((id) => this.#visibleConversation(user, id));
    assertCanMark(conversations, user, mode); // RD2, RD4
    return conversations.map((c) => {
      const next = applyRead(c, read);
      if (next === c) return c;
      const saved = this.#save(next);
      this.#emit({ type: 'conversation.updated', conversation: saved }, seenBy(saved));
      return saved;
    });
  }

  /** @internal */ assign(user: User, ids: string[], assigneeId: UserId): Conversation[] {
    const assignee = this.#users.get(assigneeId);
    assertCanAssign(user, assignee, ids.length); // A1, U2
    const conversations = ids.map((id) => this.#visibleConversation(user, id));
    const at = this.clock.now();
    return conversations.map((before) => {
      const after = this.#save(applyAssignment(before, assignee, user, at));
      this.#emit(
        {
          type: 'conversation.assigned',
          conversation: after,
          from: before.ownerId,
          to: assignee.id,
          by: user.id,
        },
        seenBy(before, after),
      );
      // A2, N1: the assignee is notified.
      this.#emit(
        {
          type: 'notification',
          kind: 'assignment',
          userId: assignee.id,
          conversationId: after.id,
          at,
        },
        (u) => u.id === assignee.id,
      );
      return after;
    });
  }

  /** @internal */ async createContact(input: ContactInput): Promise<Contact> {
    const firstName = input.firstName?.trim();
    if (!firstName) throw new DeskError('invalid_input', 'A contact needs a name.');
    const phone = await toE164(input);
    if (this.#contactByPhone.has(phone)) {
      throw new DeskError('conflict', 'A contact with that number exists.', { details: { phone } });
    }
    const now = this.clock.now();
    const contact: Contact = {
      id: this.#createId(),
      phone,
      firstName,
      lastName: input.lastName?.trim() ?? '',
      ...(input.email && { email: input.email.trim() }),
      createdAt: now,
      updatedAt: now,
    };
    this.#putContact(contact);
    this.#emit({ type: 'contact.saved', contact }, () => true);
    return contact;
  }

  /** @internal */ async updateContact(id: string, patch: Partial<ContactInput>): Promise<Contact> {
    const current = this.#contacts.get(id);
    if (!current) throw new DeskError('not_found', `Unknown contact ${id}.`, { details: { id } });
    if (patch.firstName !== undefined && !patch.firstName.trim()) {
      throw new DeskError('invalid_input', 'A contact needs a name.');
    }
    const phone = patch.phone || patch.nationalNumber ? await toE164(patch) : current.phone;
    const other = this.#contactByPhone.get(phone);
    if (other && other.id !== id)
      throw new DeskError('conflict', 'Another contact has that number.', { details: { phone } });
    const contact: Contact = {
      ...current,
      phone,
      firstName: patch.firstName?.trim() ?? current.firstName,
      lastName: patch.lastName?.trim() ?? current.lastName,
      ...(patch.email !== undefined && { email: patch.email.trim() }),
      updatedAt: Math.max(this.clock.now(), current.updatedAt + 1),
    };
    if (phone !== current.phone) this.#contactByPhone.delete(current.phone);
    this.#putContact(contact);
    this.#emit({ type: 'contact.saved', contact }, () => true);
    return contact;
  }

  /** @internal */ subscribe(userId: UserId, listener: (event: ServerEvent) => void): () => void {
    const handler = ({ event, audience }: { event: ServerEvent; audience: Audience }) => {
      const user = this.#users.get(userId);
      if (user && audience(user)) listener(event);
    };
    this.#bus.on('event', handler);
    return () => this.#bus.off('event', handler);
  }

  // ---- internals -----------------------------------------------------------------------------

  #receive(sender: SenderId, from: string, text: string, media: Media[]) {
    const now = this.clock.now();
    const key = pairKey(sender.id, from);
    const existingId = this.#conversationByPair.get(key);
    let conversation = existingId ? this.#conversations.get(existingId) : undefined;
    const before = conversation;
    const campaign = this.#campaigns.get(key);
    const lastCampaign = campaign?.[campaign.length - 1];
    const routing = routeIncoming({
      sender,
      existing: conversation,
      campaign: lastCampaign && { by: lastCampaign.sentBy!, at: lastCampaign.createdAt },
      defaultAdminId: this.#settings.defaultAdminId,
      now,
    });
    conversation ??= this.#newConversation(sender, from, routing.ownerId, now);
    if (campaign) {
      // C3: the campaign message becomes the first message of the thread.
      this.#campaigns.delete(key);
      this.#persistence.put('meta', { key: `campaign:${key}`, value: [] });
      for (const m of campaign) {
        const joined = { ...m, conversationId: conversation.id };
        this.#storeMessage(joined);
        conversation = applyOutgoing(conversation, joined);
      }
    }
    const at = this.#nextTime(conversation.id);
    const message: Message = {
      id: this.#createId(),
      conversationId: conversation.id,
      direction: 'in',
      text,
      media,
      status: 'delivered',
      statusTimes: { delivered: at },
      attempt: 1,
      createdAt: at,
    };
    this.#storeMessage(message);
    const after = this.#save(applyIncoming(conversation, routing, message));
    this.#emit({ type: 'message.created', message, conversation: after }, seenBy(before, after));
    // RT5, N1: the owner is notified.
    this.#emit(
      {
        type: 'notification',
        kind: 'incoming',
        userId: after.ownerId,
        conversationId: after.id,
        at: now,
      },
      (u) => u.id === after.ownerId,
    );
    // SN5: the customer's STOP opts the number out of this channel; START opts back in.
    const change = optOutChange(text);
    if (change) this.#setOptOut(this.#recipient(from), sender.channel, change === 'out');
    return { conversation: after, message, routing };
  }

  #newConversation(sender: SenderId, customer: string, ownerId: UserId, now: number): Conversation {
    const conversation: Conversation = {
      id: this.#createId(),
      senderId: sender.id,
      channel: sender.channel, // C1
      customer,
      ownerId,
      unread: false,
      hasIncoming: false,
      lastActivityAt: now,
      outgoingBy: [],
      createdAt: now,
      revision: 0,
    };
    this.#conversationByPair.set(pairKey(sender.id, customer), conversation.id);
    return conversation;
  }

  #content(
    content: SendContent,
    channel: Channel,
    customer: string,
  ): { text: string; template?: Template } {
    if (content.media?.length) validateMedia(channel, content.media);
    if (!content.templateId) return { text: content.text?.trim() ?? '' };
    const template = this.#templates.get(content.templateId);
    if (!template) throw new DeskError('not_found', `Unknown template ${content.templateId}.`);
    checkTemplate(template, channel); // SN2
    const filled = fillTemplate(template.body, {
      contact: this.#contactByPhone.get(customer),
      phone: customer,
    });
    if (filled.missing.length) {
      throw new DeskError(
        'template_missing_fields',
        `The template needs ${filled.missing.join(', ')}.`,
        {
          details: { missing: filled.missing },
        },
      );
    }
    return { text: filled.text, template };
  }

  /** The simulated provider: statuses arrive over time; opted-out numbers and set failures fail. */
  #dispatch(message: Message): void {
    const conversation = this.#conversations.get(message.conversationId)!;
    const failure = this.#failures.get(conversation.customer);
    if (failure) {
      this.#failures.delete(conversation.customer);
      this.clock.setTimeout(
        () =>
          this.#updateStatus(message.id, {
            status: 'failed',
            attempt: message.attempt,
            at: this.clock.now(),
            reason: failure,
          }),
        this.#provider.sentAfterMs,
      );
      return;
    }
    if (this.#recipient(conversation.customer).optedOut.includes(conversation.channel)) {
      this.#updateStatus(message.id, {
        status: 'failed',
        attempt: message.attempt,
        at: this.clock.now(),
        reason: 'The number opted out of this channel.',
      });
      return;
    }
    const steps: Array<[MessageStatus, number]> = [
      ['sent', this.#provider.sentAfterMs],
      ['delivered', this.#provider.deliveredAfterMs],
    ];
    if (conversation.channel === 'whatsapp') steps.push(['read', this.#provider.readAfterMs]);
    for (const [status, after] of steps) {
      this.clock.setTimeout(
        () =>
          this.#updateStatus(message.id, {
            status,
            attempt: message.attempt,
            at: this.clock.now(),
          }),
        after,
      );
    }
  }

  #updateStatus(messageId: string, update: StatusUpdate): void {
    const message = this.#messages.get(messageId);
    if (!message) return;
    const conversation = this.#conversations.get(message.conversationId)!;
    const next = applyStatus(message, update, conversation.channel); // SN7
    if (next === message) return;
    this.#storeMessage(next);
    this.#emit(
      {
        type: 'message.status',
        conversationId: next.conversationId,
        messageId: next.id,
        attempt: next.attempt,
        status: next.status,
        at: update.at,
        ...(next.failureReason && { reason: next.failureReason }),
      },
      seenBy(conversation),
    );
    if (conversation.lastMessage?.messageId === next.id) {
      const saved = this.#save(this.#withPreview(conversation, next));
      this.#emit({ type: 'conversation.updated', conversation: saved }, seenBy(saved));
    }
  }

  #withPreview(conversation: Conversation, message: Message): Conversation {
    return conversation.lastMessage?.messageId === message.id
      ? { ...conversation, lastMessage: previewOf(message) }
      : conversation;
  }

  /** SN6: queued messages go out when business hours open, if the rules still allow them. */
  #scheduleRelease(): void {
    if (this.#releaseTimer) this.clock.clearTimeout(this.#releaseTimer);
    this.#releaseTimer = null;
    const queued = [...this.#queued];
    if (queued.length === 0) return;
    const now = this.clock.now();
    const opens = nextOpening(this.#settings.businessHours, now);
    if (opens === null) return;
    this.#releaseTimer = this.clock.setTimeout(() => {
      this.#releaseTimer = null;
      for (const id of queued) this.#release(id);
      this.#scheduleRelease();
    }, opens - now);
  }

  #release(messageId: string): void {
    const message = this.#messages.get(messageId);
    if (!message || message.status !== 'queued') return;
    const conversation = this.#conversations.get(message.conversationId)!;
    const now = this.clock.now();
    const verdict = this.#guardStored(conversation, message, now);
    if (verdict.outcome === 'queued') return; // still closed; the next opening releases it
    if (verdict.outcome === 'refused') {
      this.#updateStatus(message.id, {
        status: 'failed',
        attempt: message.attempt,
        at: now,
        reason: verdict.reason,
      });
      return;
    }
    // Handed to the provider: no longer waiting for business hours.
    const { queueReason: _reason, queuedUntil: _until, ...released } = message;
    this.#storeMessage(released);
    this.#dispatch(released);
  }

  /** The send guard, again, for a message already stored (retry, release). */
  #guardStored(conversation: Conversation, message: Message, now: number) {
    return guardSend({
      channel: conversation.channel,
      lastIncomingAt: conversation.lastIncomingAt,
      recipient: this.#recipient(conversation.customer),
      content: {
        text: message.text,
        media: message.media,
        template: message.template && this.#templates.get(message.template.id),
      },
      hours: this.#settings.businessHours,
      now,
    });
  }

  #result(messageId: string): SendResult {
    const message = this.#messages.get(messageId)!;
    return { message, conversation: this.#conversations.get(message.conversationId)! };
  }

  #visibleConversation(user: User, id: string): Conversation {
    const conversation = this.#conversations.get(id);
    if (!conversation)
      throw new DeskError('not_found', `Unknown conversation ${id}.`, { details: { id } });
    if (!canSee(user, conversation)) {
      throw new DeskError('forbidden', 'You may not see that conversation.', { details: { id } });
    }
    return conversation;
  }

  #save(conversation: Conversation): Conversation {
    const previous = this.#conversations.get(conversation.id);
    const saved = { ...conversation, revision: (previous?.revision ?? conversation.revision) + 1 };
    this.#conversations.set(saved.id, saved);
    this.#persistence.put('conversations', saved);
    return saved;
  }

  /** Times are unique and increasing within a thread, so its order survives a reload. */
  #nextTime(conversationId: string): number {
    const last = this.#thread.get(conversationId)?.at(-1);
    return Math.max(this.clock.now(), last ? last.createdAt + 1 : 0);
  }

  #storeMessage(message: Message): void {
    const previous = this.#messages.get(message.id);
    this.#messages.set(message.id, message);
    if (message.status === 'queued' && message.queueReason === 'business_hours')
      this.#queued.add(message.id);
    else this.#queued.delete(message.id);
    const thread = this.#thread.get(message.conversationId);
    if (!thread) this.#thread.set(message.conversationId, [message]);
    else if (previous && previous.conversationId === message.conversationId) {
      thread[thread.lastIndexOf(previous)] = message;
    } else thread.push(message);
    this.#persistence.put('messages', message);
  }

  #emit(event: ServerEvent, audience: Audience): void {
    this.#bus.emit('event', { event, audience });
  }

  #recipient(phone: string): RecipientPolicy {
    return this.#recipients.get(phone) ?? { phone, whatsappConsent: false, optedOut: [] };
  }

  #putRecipient(policy: RecipientPolicy): void {
    this.#recipients.set(policy.phone, policy);
    this.#persistence.put('recipients', policy);
    this.#emit({ type: 'recipient.updated', recipient: policy }, () => true);
  }

  #setOptOut(policy: RecipientPolicy, channel: Channel, optedOut: boolean): void {
    const after = applyOptOut(policy, channel, optedOut ? 'out' : 'in');
    if (after !== policy) this.#putRecipient(after);
  }

  #putContact(contact: Contact): void {
    this.#contacts.set(contact.id, contact);
    this.#contactByPhone.set(contact.phone, contact);
    this.#persistence.put('contacts', contact);
  }

  #put<T extends { id: string }>(
    store: 'users' | 'senders' | 'templates',
    map: Map<string, T>,
    record: T,
  ): void {
    map.set(record.id, record);
    this.#persistence.put(store, record);
  }

  #user(id: UserId): User {
    const user = this.#users.get(id);
    if (!user) throw new DeskError('not_found', `Unknown user ${id}.`, { details: { id } });
    return user;
  }

  #sender(id: string): SenderId {
    const sender = this.#senders.get(id);
    if (!sender) throw new DeskError('not_found', `Unknown sender ID ${id}.`, { details: { id } });
    return sender;
  }

  #restore(snapshot: Snapshot): void {
    for (const u of snapshot.users as User[]) this.#users.set(u.id, u);
    for (const s of snapshot.senders as SenderId[]) this.#senders.set(s.id, s);
    for (const c of snapshot.contacts as Contact[]) {
      this.#contacts.set(c.id, c);
      this.#contactByPhone.set(c.phone, c);
    }
    for (const t of snapshot.templates as Template[]) this.#templates.set(t.id, t);
    for (const r of snapshot.recipients as RecipientPolicy[]) this.#recipients.set(r.phone, r);
    for (const { key, value } of snapshot.meta as Array<{ key: string; value: unknown }>) {
      if (key === 'settings') this.#settings = value as AccountSettings;
      else if (key.startsWith('campaign:') && (value as Message[]).length) {
        this.#campaigns.set(key.slice('campaign:'.length), value as Message[]);
      }
    }
    for (const c of snapshot.conversations as Conversation[]) {
      this.#conversations.set(c.id, c);
      this.#conversationByPair.set(pairKey(c.senderId, c.customer), c.id);
    }
    const messages = (snapshot.messages as Message[]).sort((a, b) => a.createdAt - b.createdAt);
    for (const m of messages) {
      this.#messages.set(m.id, m);
      if (m.idempotencyKey) this.#byKey.set(m.idempotencyKey, m.id);
      if (m.status === 'queued' && m.queueReason === 'business_hours') this.#queued.add(m.id);
      const thread = this.#thread.get(m.conversationId);
      if (thread) thread.push(m);
      else this.#thread.set(m.conversationId, [m]);
    }
    this.#scheduleRelease();
  }
}

/** Who receives an event about a conversation: anyone who could see it before or after. */
function seenBy(...versions: Array<Conversation | undefined>): Audience {
  return (user) => versions.some((c) => c !== undefined && canSee(user, c));
}

function clampLimit(limit: number | undefined, fallback: number): number {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 1)
    throw new DeskError('invalid_input', 'A page limit is a positive whole number.');
  return Math.min(limit, 1000);
}

function splitCursor(cursor: string): [number, string] {
  const i = cursor.indexOf(':');
  const at = Number(cursor.slice(0, i));
  if (i < 0 || !Number.isFinite(at))
    throw new DeskError('invalid_input', 'Unknown cursor.', { details: { cursor } });
  return [at, cursor.slice(i + 1)];
}

function pageOf<T>(
  all: T[],
  query: PageQuery,
  cursorOf: (item: T) => string,
  after: (item: T, cursor: string) => boolean,
): Page<T> {
  const limit = clampLimit(query.limit, 500);
  const start = query.cursor ? all.findIndex((item) => after(item, query.cursor!)) : 0;
  const items = start < 0 ? [] : all.slice(start, start + limit);
  const last = items[items.length - 1];
  return { items, nextCursor: last && start + limit < all.length ? cursorOf(last) : null };
}

/** One user's view of the embedded backend. Every call re-checks permissions (U2). */
class EmbeddedAdapter implements BackendAdapter {
  readonly #backend: EmbeddedBackend;
  readonly #userId: UserId;

  constructor(backend: EmbeddedBackend, userId: UserId) {
    this.#backend = backend;
    this.#userId = userId;
  }

  get #user(): User {
    return this.#backend.user(this.#userId);
  }

  async session() {
    return this.#backend.session(this.#userId);
  }
  async listUsers() {
    return this.#backend.listUsers();
  }
  async listSenderIds() {
    return this.#backend.listSenderIds();
  }
  async listTemplates() {
    return this.#backend.listTemplates();
  }
  async listContacts(query?: PageQuery) {
    return this.#backend.listContacts(query);
  }
  async searchContacts(text: string, limit = 8) {
    return this.#backend.searchContacts(text, limit);
  }
  async getRecipient(phone: string) {
    return this.#backend.recipient(await toE164(phone));
  }
  async listConversations(query?: ConversationQuery) {
    return this.#backend.listConversations(this.#user, query);
  }
  async listMessages(conversationId: string, query?: PageQuery) {
    return this.#backend.listMessages(this.#user, conversationId, query);
  }
  async send(request: SendRequest) {
    return this.#backend.send(this.#user, request);
  }
  async retry(messageId: string, idempotencyKey: string) {
    return this.#backend.retry(this.#user, messageId, idempotencyKey);
  }
  async markRead(ids: string[], read: boolean, mode: 'owner' | 'admin') {
    return this.#backend.markRead(this.#user, ids, read, mode);
  }
  async assign(ids: string[], assigneeId: UserId) {
    return this.#backend.assign(this.#user, ids, assigneeId);
  }
  async createContact(input: ContactInput) {
    return this.#backend.createContact(input);
  }
  async updateContact(id: string, patch: Partial<ContactInput>) {
    return this.#backend.updateContact(id, patch);
  }
  subscribe(listener: (event: ServerEvent) => void) {
    return this.#backend.subscribe(this.#userId, listener);
  }
}
