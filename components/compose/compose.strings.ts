const plural = (n: number, one: string, other: string) => (n === 1 ? one : other);

/** Every user-visible string of `<cd-compose>`; plurals and values are functions. */
export const en = {
  label: 'Message',
  placeholder: 'Write a message…',
  placeholderTemplatesOnly: 'Choose a template with the Templates button.',
  send: 'Send',
  sending: 'Sending…',
  attach: 'Attach a file',
  emoji: 'Insert emoji',
  emojiPanel: 'Emoji',
  templates: 'Templates',
  searchTemplates: 'Search templates',
  noTemplates: 'No template matches.',
  registered: 'Registered',
  notRegisteredClosed: 'Not registered: cannot be sent while the care window is closed.',
  templateChosen: (name: string) => `Template: ${name}`,
  clearTemplate: 'Clear template',
  missingFields: (fields: string) => `Missing for this customer: ${fields}`,
  fillFields: 'This customer has no value for these fields: fill them in to send the template.',
  smsCounter: (characters: number, parts: number, encoding: string) =>
    `${characters} ${plural(characters, 'character', 'characters')} · ${parts} ${plural(parts, 'part', 'parts')} · ${encoding}`,
  ucs2Characters: 'Characters that force UCS-2:',
  whatsappCounter: (characters: number, max: number) => `${characters} / ${max} characters`,
  queued: (time: string) => `Outside business hours: this message will be queued until ${time}.`,
  windowClosing: (minutes: number) =>
    `The customer care window closes in ${minutes} ${plural(minutes, 'minute', 'minutes')}.`,
  templatesOnly:
    'The WhatsApp customer care window is closed: only registered templates can be sent.',
  templatesOnlyNew:
    'A new WhatsApp conversation starts with a registered template: free text opens once the customer replies.',
  clearDraft: 'Clear draft',
  ownerNote: 'Sending makes you the owner of this conversation.',
  attachments: 'Attachments',
  removeFile: (name: string) => `Remove ${name}`,
  mediaType: (name: string, channel: string) =>
    `${channel} does not accept files of the type of “${name}”.`,
  mediaSize: (name: string, max: string) => `“${name}” is larger than the ${max} allowed.`,
  mediaEmpty: (name: string) => `“${name}” is empty.`,
  mediaCount: (max: number) => `At most ${max} files can be sent in one message.`,
  mediaUnreadable: (name: string) => `“${name}” could not be read.`,
  megabytes: (n: number) => `${n} MB`,
  sendFailed: 'The message could not be sent. Your draft is kept.',
  connecting: 'Connecting to the desk… You can write once it is connected.',
  unreachable: (reason: string) => `Messages cannot be sent right now: ${reason}`,
  sms: 'SMS',
  whatsapp: 'WhatsApp',
};

/** French. */
