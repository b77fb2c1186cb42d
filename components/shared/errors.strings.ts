/**
 * What every element says when the SDK refuses, by `DeskError.code` and its typed details. The
 * SDK's English `message` is for logs and is never shown.
 */
export const en = {
  forbidden: 'You are not allowed to do that.',
  notFound: 'That item no longer exists. Reload the page to see the latest.',
  invalidPhone: 'That is not a valid phone number for the chosen country.',
  countryCodeMissing: 'Choose a country code for the number.',
  invalidInput: 'Some of what was entered is not valid. Check it and try again.',
  nameMissing: 'Enter a first name.',
  empty: 'Write a message, attach a file or choose a template.',
  tooManyCharacters: (max: number, n: number) =>
    `A WhatsApp message can have at most ${max} characters; this one has ${n}.`,
  tooManyParts: (max: number, n: number) =>
    `An SMS can have at most ${max} parts; this one needs ${n}.`,
  hoursNeverOpen: 'The business hours never open, so the message could never go out.',
  windowClosed:
    'The 24-hour WhatsApp customer care window is closed, so only a registered WhatsApp template can be sent.',
  windowNew: 'A new WhatsApp conversation can only start with a registered WhatsApp template.',
  windowClosesFirst:
    'The care window closes before business hours open, so only a registered WhatsApp template can be queued.',
  templateEdited: 'A template’s text cannot be edited while the care window is closed.',
  templateMedia: 'No file can be attached to a template while the care window is closed.',
  noConsent:
    'This customer has not given consent to receive WhatsApp messages, so the business cannot start the conversation.',
  optedOut: (channel: string) =>
    `This number opted out of ${channel} messages, so nothing can be sent to it on this channel.`,
  templateChannel: (channel: string) => `That template is for ${channel}, not this channel.`,
  templateType: 'Only conversation templates can be sent from the desk.',
  missingFields: (fields: string) => `The template needs this customer’s ${fields}.`,
  mediaType: (name: string) => `“${name}” is a type of file this channel does not accept.`,
  mediaSize: (name: string, max: string) => `“${name}” is larger than the ${max} allowed.`,
  mediaEmpty: (name: string) => `“${name}” is empty.`,
  mediaCount: (max: number) => `At most ${max} files can be sent in one message.`,
  confirmationRequired: 'Confirm first: this changes what another user sees.',
  notRetryable: 'Only a message that failed can be sent again.',
  conflict: 'A contact with that number already exists.',
  network: 'The desk could not reach the server. Check the connection and try again.',
  timeout: 'The server did not answer in time. Try again.',
  unauthorized: 'Your session has ended. Sign in again.',
  rateLimited: 'Too many requests at once. Wait a moment and try again.',
  server: 'The server had a problem. Try again in a moment.',
  generic: 'That did not work. Please try again.',
  fieldFirstName: 'first name',
  fieldLastName: 'last name',
  fieldName: 'name',
  fieldPhone: 'phone number',
  fieldEmail: 'email address',
  sms: 'SMS',
  whatsapp: 'WhatsApp',
  megabytes: (n: number) => `${n} MB`,
};
