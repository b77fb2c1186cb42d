import type { Translation } from '../shared/localize.js';

/**
 * A sender ID as an option: its label, the channel unless the label already names it (no
 * "Lee · WhatsApp · WhatsApp"), and its address.
 */
const withChannel = (label: string, channel: string, address: string) =>
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

export const fr: Translation<typeof en> = {
  heading: 'Nouvelle conversation',
  name: 'Nom complet',
  namePlaceholder: 'Saisissez un nom pour trouver un contact',
  suggestions: 'Suggestions de contacts',
  suggestionCount: (n: number) =>
    n === 0
      ? 'Aucun contact correspondant'
      : n === 1
        ? '1 contact trouvé'
        : `${n} contacts trouvés`,
  countryCode: 'Indicatif du pays',
  countriesLoading: 'Chargement des pays…',
  countryOption: (country: string, code: string) => `${country} (+${code})`,
  number: 'Numéro de mobile',
  sender: 'Identifiant d’expéditeur',
  chooseSender: 'Choisissez un identifiant d’expéditeur',
  senderOption: (label: string, channel: string, address: string) =>
    withChannel(label, channel, address),
  sms: 'SMS',
  whatsapp: 'WhatsApp',
  next: 'Suivant',
  cancel: 'Annuler',
  invalidPhone: 'Ce numéro de téléphone n’est pas valide.',
  missingCountry: 'Choisissez l’indicatif du pays pour ce numéro.',
  missingNumber: 'Saisissez le numéro de mobile.',
  missingSender: 'Choisissez un identifiant d’expéditeur.',
  noSenders: 'Vous n’avez aucun identifiant d’expéditeur pour démarrer une conversation.',
};
