/** Demo data for `npm start`: a small outdoor-gear shop with three agents. */
import type { SeedData } from 'converse-desk/embedded';

export const DEMO_USERS = ['ada', 'sam', 'lee'] as const;

export const demoSeed: SeedData = {
  users: [
    { id: 'ada', name: 'Ada Okafor (admin)', role: 'admin', portalLicense: true },
    { id: 'sam', name: 'Sam Rivera', role: 'standard', portalLicense: true },
    { id: 'lee', name: 'Lee Chen', role: 'standard', portalLicense: true },
  ],
  senders: [
    {
      id: 'sam-sms',
      channel: 'sms',
      address: '+12025550141',
      label: 'Sam · SMS',
      access: { type: 'owned', userId: 'sam' },
    },
    {
      id: 'lee-wa',
      channel: 'whatsapp',
      address: '+12025550142',
      label: 'Lee · WhatsApp',
      access: { type: 'owned', userId: 'lee' },
    },
    {
      id: 'support-sms',
      channel: 'sms',
      address: '+12025550143',
      label: 'Support · SMS (shared)',
      access: { type: 'shared', userIds: ['sam', 'lee'] },
    },
    {
      id: 'support-wa',
      channel: 'whatsapp',
      address: '+12025550144',
      label: 'Support · WhatsApp (shared)',
      access: { type: 'shared', userIds: ['sam', 'lee'] },
    },
  ],
  settings: { defaultAdminId: 'ada' },
  contacts: [
    { id: 'k-maria', phone: '+14155550101', firstName: 'María', lastName: 'González' },
    { id: 'k-james', phone: '+14155550102', firstName: 'James', lastName: 'O’Brien' },
    { id: 'k-priya', phone: '+447911123456', firstName: 'Priya', lastName: 'Patel' },
    { id: 'k-tomas', phone: '+4915123456789', firstName: 'Tomás', lastName: 'Novák' },
    { id: 'k-aiko', phone: '+819012345678', firstName: 'Aiko', lastName: 'Tanaka' },
    { id: 'k-omar', phone: '+14155550106', firstName: 'Omar', lastName: 'Haddad' },
    { id: 'k-grace', phone: '+14155550107', firstName: 'Grace', lastName: 'Kim' },
  ],
  templates: [
    {
      id: 'wa-order',
      name: 'Order update (registered)',
      type: 'conversation',
      channel: 'whatsapp',
      registered: true,
      body: 'Hi {{contact.firstName}}, your Northwind order has shipped. Reply here with any questions.',
    },
    {
      id: 'wa-followup',
      name: 'Follow-up (registered)',
      type: 'conversation',
      channel: 'whatsapp',
      registered: true,
      body: 'Hello {{contact.firstName}}, we wanted to follow up on your recent request. Can we help with anything else?',
    },
    {
      id: 'wa-thanks',
      name: 'Thanks (not registered)',
      type: 'conversation',
      channel: 'whatsapp',
      registered: false,
      body: 'Thanks {{contact.firstName}}! Have a great trip.',
    },
    {
      id: 'sms-hours',
      name: 'Store hours',
      type: 'conversation',
      channel: 'sms',
      registered: false,
      body: 'Hi {{contact.firstName}}, our store is open Mon-Fri 9am-5pm. Reply STOP to opt out.',
    },
    {
      id: 'sms-pickup',
      name: 'Ready for pickup',
      type: 'conversation',
      channel: 'sms',
      registered: false,
      body: 'Hi {{contact.firstName}}, your order is ready for pickup at Northwind Outfitters.',
    },
    {
      id: 'sms-sale',
      name: 'Spring sale (campaign)',
      type: 'campaign',
      channel: 'sms',
      registered: false,
      body: 'Spring sale: 20% off tents this weekend at Northwind Outfitters!',
    },
  ],
  recipients: [
    { phone: '+14155550101', whatsappConsent: true, optedOut: [] },
    { phone: '+447911123456', whatsappConsent: true, optedOut: [] },
    { phone: '+819012345678', whatsappConsent: true, optedOut: [] },
    // Opted out of SMS (SN5).
    { phone: '+14155550106', whatsappConsent: false, optedOut: ['sms'] },
    // No WhatsApp consent on record (SN4): James.
    { phone: '+14155550102', whatsappConsent: false, optedOut: [] },
  ],
};

/** A little history, so the inboxes are not empty on first load. */
export const demoHistory: Array<{ senderId: string; from: string; text: string }> = [
  {
    senderId: 'sam-sms',
    from: '+14155550101',
    text: 'Hi! Do you have the 3-person tent in green?',
  },
  {
    senderId: 'lee-wa',
    from: '+447911123456',
    text: 'Hello, my order #4471 has not arrived yet 😟',
  },
  {
    senderId: 'support-wa',
    from: '+819012345678',
    text: 'Can I change the size of my hiking boots?',
  },
  { senderId: 'support-sms', from: '+14155550199', text: 'Is the store open on Sunday?' },
  { senderId: 'lee-wa', from: '+4915123456789', text: 'Danke! Die Jacke passt perfekt.' },
];
