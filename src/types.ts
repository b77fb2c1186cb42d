/** The domain model. Rule IDs refer to docs/rules.md. Times are epoch milliseconds. */

export type UserId = string;
export type Channel = 'sms' | 'whatsapp';
export const CHANNELS: readonly Channel[] = ['sms', 'whatsapp'];

/** U1: admins and standard users; a standard user may hold a portal license. */
export interface User {
  id: UserId;
  name: string;
  role: 'admin' | 'standard';
  portalLicense: boolean;
}

/** S1: a sending number on one channel, owned by one user or shared among standard users. */
export interface SenderId {
  id: string;
  channel: Channel;
  /** The sending number (E.164) or a WhatsApp business number. */
  address: string;
  label: string;
  access: { type: 'owned'; userId: UserId } | { type: 'shared'; userIds: UserId[] };
}

/** S2: per account; `phone` is E.164. */
export interface Contact {
  id: string;
  phone: string;
  firstName: string;
  lastName: string;
  email?: string;
  createdAt: number;
  updatedAt: number;
}

export interface ContactInput {
  firstName: string;
  lastName?: string;
  /** Either an E.164 `phone`, or a country calling code plus national number. */
  phone?: string;
  countryCallingCode?: string;
  nationalNumber?: string;
  email?: string;
}

/** SN4, SN5: what the account knows about a number, contact or not. */
export interface RecipientPolicy {
  phone: string;
  whatsappConsent: boolean;
  optedOut: Channel[];
}

export type MessageStatus = 'queued' | 'sent' | 'delivered' | 'read' | 'failed';

/** Why a message waits in `queued` (SN6). */
export type QueueReason = 'business_hours' | 'offline' | 'network';

export interface Media {
  /** http(s) URL or a `data:` URL for embedded demos; rendered only when http(s) or data. */
  url: string;
  mimeType: string;
  fileName: string;
  size: number;
}

export interface TemplateRef {
  id: string;
  name: string;
  registered: boolean;
}

export interface Message {
  id: string;
  conversationId: string;
  direction: 'in' | 'out';
  text: string;
  media: Media[];
  template?: TemplateRef;
  /** The user who sent an outgoing message. */
  sentBy?: UserId;
  /** C3: a campaign message that became the first message of the thread. */
  campaign?: boolean;
  status: MessageStatus;
  /** SN7: when each status was reached. */
  statusTimes: Partial<Record<MessageStatus, number>>;
  failureReason?: string;
  queueReason?: QueueReason;
  /** For a queued message, when it is expected to go out. */
  queuedUntil?: number;
  /** Increases at each retry; status updates of an older attempt are ignored. */
  attempt: number;
  idempotencyKey?: string;
  createdAt: number;
}

export type RoutingRule = 'RT1' | 'RT2' | 'RT3' | 'RT4';

/** Why a conversation has its owner: the rule, and the facts that decided it. */
export interface RoutingExplanation {
  rule: RoutingRule;
  ownerId: UserId;
  reason: string;
  facts: {
    senderAccess: 'owned' | 'shared';
    created: boolean;
    lastOutgoingBy?: UserId;
    lastOutgoingAt?: number;
    assignedTo?: UserId;
    assignedAt?: number;
    campaign?: boolean;
  };
  /** When the decision was made: later messages routed the same way keep it (and this time). */
  at: number;
}

export interface MessagePreview {
  messageId: string;
  direction: 'in' | 'out';
  text: string;
  at: number;
  status: MessageStatus;
  hasMedia: boolean;
}

/** C1: the thread between one sender ID and one customer number, with one owner. */
export interface Conversation {
  id: string;
  senderId: string;
  channel: Channel;
  customer: string;
  ownerId: UserId;
  /** RD1: read state as seen by the owner. */
  unread: boolean;
  /** V1, V2: lists show only conversations with an incoming message. */
  hasIncoming: boolean;
  lastActivityAt: number;
  lastMessage?: MessagePreview;
  /** SN3: the last incoming message, which opens the WhatsApp care window. */
  lastIncomingAt?: number;
  /** V4: every user who sent an outgoing message here. */
  outgoingBy: UserId[];
  lastOutgoing?: { by: UserId; at: number };
  lastAssignment?: { to: UserId; by: UserId; at: number };
  routing?: RoutingExplanation;
  createdAt: number;
  /** Increases at every change, so a late or repeated snapshot never overwrites a newer one. */
  revision: number;
}

export type TemplateType = 'conversation' | 'campaign';

export interface Template {
  id: string;
  name: string;
  type: TemplateType;
  channel: Channel;
  /** WhatsApp only: registered (approved) templates may be sent when the care window is closed. */
  registered: boolean;
  /** With merge fields such as `{{contact.firstName}}`. */
  body: string;
}

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** SN6: a weekly schedule in a time zone. Intervals are local "HH:MM" pairs, end exclusive. */
export interface BusinessHours {
  timeZone: string;
  weekly: Partial<Record<Weekday, Array<[string, string]>>>;
}

export interface AccountSettings {
  /** RT3 Decision: the admin who receives first contacts on shared sender IDs. */
  defaultAdminId: UserId;
  /** SN6: absent means always open. */
  businessHours?: BusinessHours;
}

export interface Page<T> {
  items: T[];
  /** Pass back to get the next page; null at the end. */
  nextCursor: string | null;
}
