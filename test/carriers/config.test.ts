/** Carrier configuration from the environment: on when set, refused when half set. */
import { describe, expect, it } from 'vitest';
import { carriersFromEnv } from '../../src/server/carriers/index.js';

const TWILIO = { TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 'token' };
const WHATSAPP = {
  WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
  WHATSAPP_ACCESS_TOKEN: 'EAAG',
  WHATSAPP_APP_SECRET: 'secret',
  WHATSAPP_VERIFY_TOKEN: 'verify',
};
const PUBLIC = { DESK_PUBLIC_URL: 'https://desk.example.com/' };

describe('carriersFromEnv', () => {
  it('no carrier variables: no carrier, and sending says so', () => {
    const carriers = carriersFromEnv({});
    expect(carriers.providers).toEqual([]);
    expect(() => carriers.forChannel('sms')).toThrow(/No carrier is configured for sms/);
  });

  it('SMS goes to Twilio, WhatsApp to the Cloud API unless DESK_WHATSAPP_CARRIER says twilio', () => {
    const both = carriersFromEnv({ ...PUBLIC, ...TWILIO, ...WHATSAPP });
    expect(both.providers.map((p) => p.name)).toEqual(['twilio', 'whatsapp']);
    expect(both.forChannel('sms').name).toBe('twilio');
    expect(both.forChannel('whatsapp').name).toBe('whatsapp');
    const viaTwilio = carriersFromEnv({
      ...PUBLIC,
      ...TWILIO,
      ...WHATSAPP,
      DESK_WHATSAPP_CARRIER: 'twilio',
    });
    expect(viaTwilio.forChannel('whatsapp').name).toBe('twilio');
    expect(carriersFromEnv({ ...PUBLIC, ...TWILIO }).forChannel('whatsapp').name).toBe('twilio');
  });

  it('a half-configured carrier is refused at start-up, naming what is missing', () => {
    expect(() => carriersFromEnv({ ...PUBLIC, TWILIO_ACCOUNT_SID: 'AC1' })).toThrow(
      /set TWILIO_AUTH_TOKEN/,
    );
    expect(() =>
      carriersFromEnv({ ...PUBLIC, WHATSAPP_PHONE_NUMBER_ID: '1', WHATSAPP_APP_SECRET: 's' }),
    ).toThrow(/set WHATSAPP_ACCESS_TOKEN, WHATSAPP_VERIFY_TOKEN/);
    expect(() => carriersFromEnv(TWILIO)).toThrow(/DESK_PUBLIC_URL/);
    expect(() => carriersFromEnv({ ...PUBLIC, ...TWILIO, TWILIO_CONTENT_SIDS: '{' })).toThrow(
      /TWILIO_CONTENT_SIDS must be JSON/,
    );
  });

  it("Twilio's StatusCallback is {DESK_PUBLIC_URL}/webhooks/twilio", async () => {
    let form = new URLSearchParams();
    const fetch = (async (_url: string, init: RequestInit) => {
      form = new URLSearchParams(String(init.body));
      return Response.json({ sid: 'SM1', status: 'queued' }, { status: 201 });
    }) as typeof globalThis.fetch;
    const carriers = carriersFromEnv({ ...PUBLIC, ...TWILIO }, { fetch });
    await carriers
      .forChannel('sms')
      .send({ channel: 'sms', from: '+1', to: '+2', text: 'Hi', media: [] });
    expect(form.get('StatusCallback')).toBe('https://desk.example.com/webhooks/twilio');
  });

  it('the simulator is on with DESK_SIMULATOR_SECRET, and sends when no real carrier is set', () => {
    const carriers = carriersFromEnv({ ...PUBLIC, DESK_SIMULATOR_SECRET: 's3cret' });
    expect(carriers.simulator?.name).toBe('simulator');
    expect(carriers.forChannel('whatsapp')).toBe(carriers.simulator);
    carriers.simulator!.close();
  });
});
