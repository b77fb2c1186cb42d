import type { Translation } from '../shared/localize.js';

const plural = (n: number, one: string, other: string) => (n === 1 ? one : other);

/** Every user-visible string of `<cd-compose>`; plurals and values are functions. */
export const en = {
  label: 'Message',
  placeholder: 'Write a message…',
  placeholderTemplatesOnly: 'Free text is off: choose a registered template.',
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
  missingFields: (fields: string[]) => `Missing for this customer: ${fields.join(', ')}`,
  smsCounter: (characters: number, parts: number, encoding: string) =>
    `${characters} ${plural(characters, 'character', 'characters')} · ${parts} ${plural(parts, 'part', 'parts')} · ${encoding}`,
  ucs2Characters: 'Characters that force UCS-2:',
  whatsappCounter: (characters: number, max: number) => `${characters} / ${max} characters`,
  queued: (time: string) => `Outside business hours: this message will be queued until ${time}.`,
  windowClosing: (minutes: number) =>
    `The customer care window closes in ${minutes} ${plural(minutes, 'minute', 'minutes')}.`,
  templatesOnly:
    'The WhatsApp customer care window is closed: free text is off, only registered templates can be sent.',
  templatesOnlyNew:
    'A new WhatsApp conversation starts with a registered template: free text opens once the customer replies.',
  clearDraft: 'Clear draft',
  ownerNote: 'Sending makes you the owner of this conversation.',
  reasonOptedOut: (channel: string) =>
    `This number opted out of ${channel} messages, so nothing can be sent to it on this channel.`,
  reasonNoConsent:
    'This customer has not given consent to receive WhatsApp messages, so the business cannot start the conversation.',
  reasonWindowClosed:
    'The 24-hour WhatsApp customer care window is closed, so only a registered WhatsApp template can be sent.',
  reasonWindowNew:
    'A new WhatsApp conversation can only start with a registered WhatsApp template.',
  reasonMissingFields: (fields: string[]) =>
    `The template needs ${fields.join(', ')}, which this customer lacks.`,
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
  sms: 'SMS',
  whatsapp: 'WhatsApp',
};

/** French. */
export const fr = {
  label: 'Message',
  placeholder: 'Écrire un message…',
  placeholderTemplatesOnly: 'Texte libre désactivé : choisissez un modèle enregistré.',
  send: 'Envoyer',
  sending: 'Envoi…',
  attach: 'Joindre un fichier',
  emoji: 'Insérer un emoji',
  emojiPanel: 'Emoji',
  templates: 'Modèles',
  searchTemplates: 'Rechercher un modèle',
  noTemplates: 'Aucun modèle ne correspond.',
  registered: 'Enregistré',
  notRegisteredClosed:
    'Non enregistré : ne peut pas être envoyé tant que la fenêtre de service client est fermée.',
  templateChosen: (name: string) => `Modèle : ${name}`,
  clearTemplate: 'Retirer le modèle',
  missingFields: (fields: string[]) => `Manquant pour ce client : ${fields.join(', ')}`,
  smsCounter: (characters: number, parts: number, encoding: string) =>
    `${characters} ${characters > 1 ? 'caractères' : 'caractère'} · ${parts} ${parts > 1 ? 'parties' : 'partie'} · ${encoding}`,
  ucs2Characters: 'Caractères qui imposent l’UCS-2 :',
  whatsappCounter: (characters: number, max: number) => `${characters} / ${max} caractères`,
  queued: (time: string) =>
    `Hors des heures d’ouverture : ce message sera mis en attente jusqu’au ${time}.`,
  windowClosing: (minutes: number) =>
    `La fenêtre de service client se ferme dans ${minutes} ${minutes > 1 ? 'minutes' : 'minute'}.`,
  templatesOnly:
    'La fenêtre de service client WhatsApp est fermée : texte libre désactivé, seuls les modèles enregistrés peuvent être envoyés.',
  templatesOnlyNew:
    'Une nouvelle conversation WhatsApp commence par un modèle enregistré : le texte libre s’ouvre dès que le client répond.',
  clearDraft: 'Effacer le brouillon',
  ownerNote: 'En envoyant un message, vous devenez propriétaire de cette conversation.',
  reasonOptedOut: (channel: string) =>
    `Ce numéro s’est désinscrit des messages ${channel} : rien ne peut lui être envoyé sur ce canal.`,
  reasonNoConsent:
    'Ce client n’a pas consenti à recevoir des messages WhatsApp : l’entreprise ne peut pas ouvrir la conversation.',
  reasonWindowClosed:
    'La fenêtre de service client WhatsApp de 24 heures est fermée : seul un modèle WhatsApp enregistré peut être envoyé.',
  reasonWindowNew:
    'Une nouvelle conversation WhatsApp ne peut commencer que par un modèle WhatsApp enregistré.',
  reasonMissingFields: (fields: string[]) =>
    `Le modèle a besoin de ${fields.join(', ')}, qui manque pour ce client.`,
  attachments: 'Pièces jointes',
  removeFile: (name: string) => `Retirer ${name}`,
  mediaType: (name: string, channel: string) =>
    `${channel} n’accepte pas les fichiers du type de « ${name} ».`,
  mediaSize: (name: string, max: string) => `« ${name} » dépasse les ${max} autorisés.`,
  mediaEmpty: (name: string) => `« ${name} » est vide.`,
  mediaCount: (max: number) => `Au plus ${max} fichiers par message.`,
  mediaUnreadable: (name: string) => `« ${name} » n’a pas pu être lu.`,
  megabytes: (n: number) => `${n} Mo`,
  sendFailed: 'Le message n’a pas pu être envoyé. Votre brouillon est conservé.',
  sms: 'SMS',
  whatsapp: 'WhatsApp',
} satisfies Required<Translation<typeof en>>;
