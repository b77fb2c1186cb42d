/**
 * The server's tables as Kysely sees them. Times are epoch milliseconds (`bigint`, read as numbers).
 * The SQL that creates them is in migrations.ts.
 */
import type { Generated } from 'kysely';

export interface Tables {
  /** The durable event log: `id` is the event id on every stream, never reused. */
  desk_events: {
    id: Generated<number>;
    at: number;
    type: string;
    /** The users the event is for; null means every user of the account. */
    audience: string[] | null;
    /** The `ServerEvent` as JSON, written once, sent as is. */
    data: string;
  };
  /** Events up to this id were pruned: a resume from before it gets `reset`. */
  desk_log_horizon: { one: boolean; pruned_through: number };
  /** Idempotency-Key records per user (docs/protocol.md section 3), kept 7 days. */
  desk_idempotency: {
    user_id: string;
    key: string;
    created_at: number;
    status: number;
    body: string;
  };
  /** Demo: the next send to `phone` fails with `reason` (pg-simulated-provider.ts). */
  desk_simulated_failures: {
    phone: string;
    reason: string;
  };
  /** Durable jobs, taken with FOR UPDATE SKIP LOCKED by any instance. */
  desk_jobs: {
    id: Generated<number>;
    kind: string;
    payload: string;
    run_at: number;
    attempts: Generated<number>;
    locked_until: number | null;
    /** At most one pending job per key (e.g. one release per message). */
    unique_key: string | null;
    last_error: string | null;
  };
  /** Verified carrier events waiting for (or done with) processing; see carriers/pg-inbox.ts. */
  desk_carrier_inbox: {
    key: string;
    carrier: string;
    /** The `CarrierEvent` as JSON. */
    event: string;
    received_at: number;
    retry_at: number;
    tries: Generated<number>;
    processed_at: number | null;
  };
  /** Carrier message ids → the desk's message and attempt; see carriers/pg-inbox.ts. */
  desk_carrier_messages: {
    carrier: string;
    carrier_message_id: string;
    message_id: string;
    attempt: number;
    created_at: number;
  };
  /** The account's state, one JSON record per row (see pg-store.ts); migration 0003. */
  desk_account: { one: boolean; settings: string | null };
  desk_users: Record_;
  desk_senders: Record_;
  desk_templates: Record_;
  desk_contacts: Record_ & { phone: string; folded: string; digits: string };
  desk_recipients: { phone: string; data: string };
  desk_conversations: Record_ & {
    sender_id: string;
    customer: string;
    owner_id: string;
    has_incoming: boolean;
    /** RD1, for the view counts (migration 0008). */
    unread: boolean;
    outgoing_by: string[];
    last_activity_at: number;
  };
  /** V4: who sent an outgoing message in which conversation, at its activity (migration 0010). */
  desk_conversation_writers: {
    user_id: string;
    conversation_id: string;
    last_activity_at: number;
    unread: boolean;
  };
  /** V6: each conversation's number, written once (migration 0010). */
  desk_conversation_numbers: { customer: string; conversation_id: string };
  desk_messages: Record_ & {
    conversation_id: string;
    created_at: number;
    /** `queued` (SN6, business hours) or `in_flight` (handed to the provider, not final). */
    waiting: string | null;
  };
  desk_pending_campaigns: {
    seq: Generated<number>;
    sender_id: string;
    customer: string;
    data: string;
  };
  desk_keys: { user_id: string; key: string; message_id: string; created_at: number };
  /** Each (message, attempt) on its way to a carrier; see carriers/pg-journal.ts. */
  desk_carrier_sends: {
    message_id: string;
    attempt: number;
    state: 'sending' | 'retry' | 'sent' | 'failed';
    tries: number;
    updated_at: number;
  };
  /** Attachments fetched from a carrier (WhatsApp Cloud media ids); see carriers/media.ts. */
  desk_carrier_media: {
    id: string;
    carrier: string;
    carrier_media_id: string;
    mime_type: string;
    file_name: string;
    size: number;
    data: Uint8Array;
    created_at: number;
    /** The conversation the message holding it arrived in (null until it did). */
    conversation_id: string | null;
  };
}

interface Record_ {
  id: string;
  data: string;
}
