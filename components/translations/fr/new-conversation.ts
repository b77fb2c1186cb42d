import type { Translation } from '../../shared/localize.js';
import { withChannel, type en } from '../../new-conversation/new-conversation.strings.js';

/** French for `<cd-new-conversation>`. */
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
  countryShort: (country: string, code: string) => `${country} +${code}`,
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
