/**
 * A sender ID as an option: its label, the channel unless the label already names it (no
 * "Lee · WhatsApp · WhatsApp"), and its address.
 */
export const withChannel = (label: string, channel: string, address: string) =>
  label.toLocaleLowerCase().includes(channel.toLocaleLowerCase())
    ? `${label} (${address})`
    : `${label} · ${channel} (${address})`;

/** Every user-visible string of `<cd-new-conversation>` (SN1). */
export const en = {
  heading: 'New conversation',
  name: 'Full name',
  namePlaceholder: 'Type a name to find a contact',
  suggestions: 'Contact suggestions',
  suggestionCount: (n: number) =>
    n === 0 ? 'No matching contacts' : n === 1 ? '1 contact found' : `${n} contacts found`,
  countryCode: 'Country code',
  countriesLoading: 'Loading countries…',
  countryOption: (country: string, code: string) => `${country} (+${code})`,
  countryShort: (country: string, code: string) => `${country} +${code}`,
  number: 'Mobile number',
  sender: 'Sender ID',
  chooseSender: 'Choose a sender ID',
  senderOption: (label: string, channel: string, address: string) =>
    withChannel(label, channel, address),
  sms: 'SMS',
  whatsapp: 'WhatsApp',
  next: 'Next',
  cancel: 'Cancel',
  invalidPhone: 'That is not a valid phone number.',
  missingCountry: 'Choose a country code for the number.',
  missingNumber: 'Enter the mobile number.',
  missingSender: 'Choose a sender ID.',
  noSenders: 'You have no sender ID to start a conversation from.',
};
