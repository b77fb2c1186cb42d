/**
 * Carrier configuration from environment variables. Each carrier is on when its variables are set,
 * and refused at start-up when only some are (a half-configured carrier would fail on the first
 * customer). Webhook URLs are `{DESK_PUBLIC_URL}/webhooks/{carrier}`.
 */
import type { Channel } from '../../types.js';
import type { Provider } from './provider.js';
import { createSimulatedCarrier, type SimulatedCarrier } from './simulator.js';
import { createTwilioProvider } from './twilio.js';
import { createWhatsAppCloudProvider } from './whatsapp-cloud.js';

type Env = Record<string, string | undefined>;

export interface Carriers {
  providers: Provider[];
  /** The carrier that sends each channel. */
  forChannel(channel: Channel): Provider;
  simulator?: SimulatedCarrier;
}

const TWILIO = ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN'] as const;
const WHATSAPP = [
  'WHATSAPP_PHONE_NUMBER_ID',
  'WHATSAPP_ACCESS_TOKEN',
  'WHATSAPP_APP_SECRET',
  'WHATSAPP_VERIFY_TOKEN',
] as const;

/** The public URL a carrier calls for its webhooks. */
export const webhookUrl = (publicUrl: string, carrier: string) =>
  `${publicUrl.replace(/\/$/, '')}/webhooks/${carrier}`;

function group<K extends string>(env: Env, names: readonly K[]): Record<K, string> | null {
  const missing = names.filter((name) => !env[name]);
  if (missing.length === names.length) return null;
  if (missing.length)
    throw new Error(`Carrier configuration incomplete: set ${missing.join(', ')}.`);
  return Object.fromEntries(names.map((name) => [name, env[name]!])) as Record<K, string>;
}

function json(env: Env, name: string): Record<string, string> | undefined {
  const value = env[name];
  if (!value) return undefined;
  try {
    return JSON.parse(value) as Record<string, string>;
  } catch {
    throw new Error(`${name} must be JSON, such as {"order_ready":"HX…"}.`);
  }
}

/**
 * `DESK_PUBLIC_URL`; Twilio: `TWILIO_ACCOUNT_SID`, `TWILIO_AUTH_TOKEN`, `TWILIO_CONTENT_SIDS`;
 * WhatsApp Cloud API: `WHATSAPP_PHONE_NUMBER_ID`, `WHATSAPP_ACCESS_TOKEN`, `WHATSAPP_APP_SECRET`,
 * `WHATSAPP_VERIFY_TOKEN`, `WHATSAPP_API_VERSION`, `WHATSAPP_TEMPLATE_LANGUAGE`; who sends WhatsApp
 * when both are set: `DESK_WHATSAPP_CARRIER` (`whatsapp`, the default, or `twilio`); the simulator
 * (demo and tests): `DESK_SIMULATOR_SECRET`.
 */
export function carriersFromEnv(env: Env, options: { fetch?: typeof fetch } = {}): Carriers {
  const twilio = group(env, TWILIO);
  const whatsapp = group(env, WHATSAPP);
  const simulatorSecret = env.DESK_SIMULATOR_SECRET;
  const publicUrl = env.DESK_PUBLIC_URL;
  if ((twilio || whatsapp || simulatorSecret) && !publicUrl) {
    throw new Error('Set DESK_PUBLIC_URL: the carriers call {DESK_PUBLIC_URL}/webhooks/{carrier}.');
  }
  const fetchOption = options.fetch ? { fetch: options.fetch } : {};
  const providers: Provider[] = [];
  const byName = new Map<string, Provider>();
  const add = <P extends Provider>(provider: P): P => {
    providers.push(provider);
    byName.set(provider.name, provider);
    return provider;
  };
  if (twilio) {
    const contentSids = json(env, 'TWILIO_CONTENT_SIDS');
    add(
      createTwilioProvider({
        accountSid: twilio.TWILIO_ACCOUNT_SID,
        authToken: twilio.TWILIO_AUTH_TOKEN,
        webhookUrl: webhookUrl(publicUrl!, 'twilio'),
        ...(contentSids ? { contentSids } : {}),
        ...fetchOption,
      }),
    );
  }
  if (whatsapp) {
    add(
      createWhatsAppCloudProvider({
        phoneNumberId: whatsapp.WHATSAPP_PHONE_NUMBER_ID,
        accessToken: whatsapp.WHATSAPP_ACCESS_TOKEN,
        appSecret: whatsapp.WHATSAPP_APP_SECRET,
        verifyToken: whatsapp.WHATSAPP_VERIFY_TOKEN,
        ...(env.WHATSAPP_API_VERSION ? { apiVersion: env.WHATSAPP_API_VERSION } : {}),
        ...(env.WHATSAPP_TEMPLATE_LANGUAGE
          ? { templateLanguage: env.WHATSAPP_TEMPLATE_LANGUAGE }
          : {}),
        ...fetchOption,
      }),
    );
  }
  const simulator = simulatorSecret
    ? add(
        createSimulatedCarrier({
          secret: simulatorSecret,
          webhookUrl: webhookUrl(publicUrl!, 'simulator'),
        }),
      )
    : undefined;

  const whatsappCarrier = env.DESK_WHATSAPP_CARRIER ?? (whatsapp ? 'whatsapp' : 'twilio');
  if (whatsappCarrier !== 'whatsapp' && whatsappCarrier !== 'twilio') {
    throw new Error('DESK_WHATSAPP_CARRIER must be "whatsapp" or "twilio".');
  }
  return {
    providers,
    forChannel(channel) {
      const provider =
        byName.get(channel === 'sms' ? 'twilio' : whatsappCarrier) ?? simulator ?? undefined;
      if (!provider) throw new Error(`No carrier is configured for ${channel}.`);
      return provider;
    },
    ...(simulator ? { simulator } : {}),
  };
}
