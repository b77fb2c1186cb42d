/**
 * SN3–SN6, with the content checks (SN2 templates, SN8 SMS length, media): the answer before the
 * user presses Send. Checks run in a fixed order, so a UI always shows the most basic problem
 * first: content, then opt-out (SN5), consent (SN4), care window (SN3), business hours (SN6).
 */
import { isDeskError, type DeskErrorCode } from '../errors.js';
import type { BusinessHours, Channel, Media, RecipientPolicy, Template } from '../types.js';
import { nextOpening } from './business-hours.js';
import { careWindow, type CareWindow } from './care-window.js';
import { CHANNEL_NAMES, SMS_MAX_PARTS, validateMedia, WHATSAPP_MAX_CHARACTERS } from './media.js';
import { countSegments } from './segments.js';
import { checkTemplate, matchesTemplate } from './templates.js';

export interface GuardInput {
  channel: Channel;
  /** undefined when starting a new conversation */
  lastIncomingAt?: number;
  recipient: RecipientPolicy;
  content: {
    text?: string;
    media?: readonly Media[];
    template?: Template;
    /** SN2: merge fields of the template that stayed unfilled (from `prepareContent`). */
    missing?: readonly string[];
  };
  hours?: BusinessHours;
  now: number;
}

export type GuardVerdict =
  | { outcome: 'allowed'; careWindow: CareWindow }
  | { outcome: 'queued'; reason: 'business_hours'; until: number; careWindow: CareWindow }
  | {
      outcome: 'refused';
      code: DeskErrorCode;
      reason: string;
      careWindow: CareWindow;
      details: Record<string, unknown>;
    };

type Refusal = { code: DeskErrorCode; reason: string; details?: Record<string, unknown> };

/** A DeskError as a refusal; any other error is a bug and is thrown again. */
function toRefusal(error: unknown): Refusal {
  if (!isDeskError(error)) throw error;
  return { code: error.code, reason: error.message, details: error.details };
}

/** Runs a throwing check and turns its DeskError into a refusal. */
function refusalOf(check: () => void): Refusal | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    return toRefusal(error);
  }
}

/** Content checks (SN2, SN8, media), before anything about the recipient. */
function contentProblem(channel: Channel, content: GuardInput['content']): Refusal | undefined {
  const text = content.text ?? '';
  const media = content.media ?? [];
  if (typeof text !== 'string') {
    return { code: 'invalid_input', reason: 'The message text must be text.' };
  }
  if (!text.trim() && media.length === 0 && !content.template) {
    return {
      code: 'invalid_input',
      reason: 'Write a message, attach a file or choose a template.',
      details: { empty: true },
    };
  }
  const template = content.template;
  const problem =
    (template && refusalOf(() => checkTemplate(template, channel))) ||
    refusalOf(() => validateMedia(channel, media));
  if (problem) return problem;
  const missing = content.missing ?? [];
  if (template && missing.length > 0) {
    // SN2: checked here once, for the client and every backend.
    return {
      code: 'template_missing_fields',
      reason: `The template needs ${missing.join(', ')}, which this contact lacks.`,
      details: { missing: [...missing] },
    };
  }

  if (channel === 'whatsapp') {
    const length = [...text].length;
    if (length > WHATSAPP_MAX_CHARACTERS) {
      return {
        code: 'invalid_input',
        reason: `A WhatsApp message can have at most ${WHATSAPP_MAX_CHARACTERS} characters; this one has ${length}.`,
        details: { characters: length, maxCharacters: WHATSAPP_MAX_CHARACTERS },
      };
    }
  } else {
    const { parts } = countSegments(text);
    if (parts > SMS_MAX_PARTS) {
      return {
        code: 'invalid_input',
        reason: `An SMS can have at most ${SMS_MAX_PARTS} parts; this one needs ${parts}.`,
        details: { parts, maxParts: SMS_MAX_PARTS },
      };
    }
  }
  return undefined;
}

/**
 * SN3, SN4: what a WhatsApp send needs when the care window is closed (now, or by the time a
 * queued message goes out): the business is initiating, so consent must be on record, and only a
 * registered template, unedited and without media, may be sent.
 */
function closedWindowProblem(
  input: GuardInput,
  expiredAt: number | null,
  queuedUntil?: number,
): Refusal | undefined {
  const { recipient, content } = input;
  const queued = queuedUntil === undefined ? {} : { until: queuedUntil };
  const closesFirst = 'The WhatsApp customer care window closes before business hours open';
  if (!recipient.whatsappConsent) {
    return {
      code: 'no_consent',
      reason:
        queuedUntil === undefined
          ? 'This customer has not given consent to receive WhatsApp messages, so the business cannot start the conversation.'
          : `${closesFirst}, and this customer has not given consent to receive WhatsApp messages.`,
      details: { phone: recipient.phone, ...queued },
    };
  }
  const { template } = content;
  const text = content.text?.trim() ?? '';
  const hasMedia = (content.media ?? []).length > 0;
  const edited = !!template && !!text && !matchesTemplate(template.body, text);
  if (template?.registered && !hasMedia && !edited) return undefined;

  let reason =
    queuedUntil !== undefined
      ? `${closesFirst}, so only a registered WhatsApp template can be queued.`
      : expiredAt === null
        ? 'A new WhatsApp conversation can only start with a registered WhatsApp template.'
        : 'The 24-hour WhatsApp customer care window is closed, so only a registered WhatsApp template can be sent.';
  if (template?.registered) {
    reason += edited ? ' Its text cannot be edited.' : ' No media can be attached to it.';
  }
  return {
    code: 'window_closed',
    reason,
    details: {
      ...(expiredAt === null ? {} : { expiredAt }),
      ...queued,
      ...(template?.registered && (edited ? { edited } : { hasMedia })),
    },
  };
}

/** SN3–SN6: allowed, queued until business hours open, or refused with a reason the UI shows. */
export function guardSend(input: GuardInput): GuardVerdict {
  const { channel, recipient, now } = input;
  const window = careWindow(channel, input.lastIncomingAt, now);
  const refuse = (r: Refusal): GuardVerdict => ({
    outcome: 'refused',
    code: r.code,
    reason: r.reason,
    careWindow: window,
    details: r.details ?? {},
  });

  const content = contentProblem(channel, input.content);
  if (content) return refuse(content);

  if (recipient.optedOut.includes(channel)) {
    return refuse({
      code: 'opted_out',
      reason: `This number opted out of ${CHANNEL_NAMES[channel]} messages, so nothing can be sent to it on this channel.`,
      details: { phone: recipient.phone, channel },
    });
  }

  if (channel === 'whatsapp' && !window.open) {
    const closed = closedWindowProblem(input, window.expiresAt);
    if (closed) return refuse(closed);
  }

  let until: number | null;
  try {
    until = nextOpening(input.hours, now); // `now` itself when open
  } catch (error) {
    return refuse(toRefusal(error)); // malformed business hours
  }
  if (until === null) {
    return refuse({
      code: 'invalid_input',
      reason: 'The business hours never open, so the message could never go out.',
      details: { reason: 'business hours never open' },
    });
  }
  if (until === now) return { outcome: 'allowed', careWindow: window };

  // The message goes out at `until`: an open window that closes by then counts as closed (SN3).
  if (
    channel === 'whatsapp' &&
    window.open &&
    window.expiresAt !== null &&
    window.expiresAt <= until
  ) {
    const closed = closedWindowProblem(input, window.expiresAt, until);
    if (closed) return refuse(closed);
  }
  return { outcome: 'queued', reason: 'business_hours', until, careWindow: window };
}
