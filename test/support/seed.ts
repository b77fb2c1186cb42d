/** A small account: one admin, three standard users, four sender IDs, contacts and templates. */
import { conformanceSeed } from '../../src/conformance/fixture.js';
import type { SeedData } from '../../src/embedded/index.js';

export const T0 = Date.UTC(2026, 10, 23, 15, 0); // a Monday, 15:00 UTC

export const PHONE = {
  dana: '+14155550101',
  eli: '+14155550102',
  fay: '+447911123456',
  unknown: '+14155550199',
};

export const seed = (): SeedData => ({
  users: [
    { id: 'admin', name: 'Ada Admin', role: 'admin', portalLicense: true },
    { id: 'alice', name: 'Alice', role: 'standard', portalLicense: true },
    { id: 'bob', name: 'Bob', role: 'standard', portalLicense: true },
    { id: 'carol', name: 'Carol', role: 'standard', portalLicense: false },
  ],
  // The same four sender IDs as the conformance account: one definition of them.
  senders: conformanceSeed().senders,
  settings: { defaultAdminId: 'admin' },
  contacts: [
    { id: 'c-dana', phone: PHONE.dana, firstName: 'Dana', lastName: 'Díaz' },
    { id: 'c-eli', phone: PHONE.eli, firstName: 'Eli', lastName: '' },
  ],
  templates: [
    {
      id: 't-wa-hello',
      name: 'Hello (registered)',
      type: 'conversation',
      channel: 'whatsapp',
      registered: true,
      body: 'Hi {{contact.firstName}}, how can we help?',
    },
    {
      id: 't-wa-free',
      name: 'Follow-up',
      type: 'conversation',
      channel: 'whatsapp',
      registered: false,
      body: 'Just checking in.',
    },
    {
      id: 't-sms-hi',
      name: 'SMS hi',
      type: 'conversation',
      channel: 'sms',
      registered: false,
      body: 'Hi {{contact.firstName}}!',
    },
    {
      id: 't-sms-promo',
      name: 'Promo',
      type: 'campaign',
      channel: 'sms',
      registered: false,
      body: 'Sale today',
    },
  ],
  recipients: [
    { phone: PHONE.dana, whatsappConsent: true, optedOut: [] },
    { phone: PHONE.fay, whatsappConsent: false, optedOut: ['sms'] },
  ],
});
