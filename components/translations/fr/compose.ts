import type { Translation } from '../../shared/localize.js';
import type { en } from '../../compose/compose.strings.js';

/** French for `<cd-compose>`. */
export const fr = {
  label: 'Message',
  placeholder: 'Écrire un message…',
  placeholderTemplatesOnly: 'Choisissez un modèle avec le bouton Modèles.',
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
  missingFields: (fields: string) => `Manquant pour ce client : ${fields}`,
  fillFields:
    'Ce client n’a pas de valeur pour ces champs : remplissez-les pour envoyer le modèle.',
  smsCounter: (characters: number, parts: number, encoding: string) =>
    `${characters} ${characters > 1 ? 'caractères' : 'caractère'} · ${parts} ${parts > 1 ? 'parties' : 'partie'} · ${encoding}`,
  ucs2Characters: 'Caractères qui imposent l’UCS-2 :',
  whatsappCounter: (characters: number, max: number) => `${characters} / ${max} caractères`,
  queued: (time: string) =>
    `Hors des heures d’ouverture : ce message sera mis en attente jusqu’au ${time}.`,
  windowClosing: (minutes: number) =>
    `La fenêtre de service client se ferme dans ${minutes} ${minutes > 1 ? 'minutes' : 'minute'}.`,
  templatesOnly:
    'La fenêtre de service client WhatsApp est fermée : seuls les modèles enregistrés peuvent être envoyés.',
  templatesOnlyNew:
    'Une nouvelle conversation WhatsApp commence par un modèle enregistré : le texte libre s’ouvre dès que le client répond.',
  clearDraft: 'Effacer le brouillon',
  ownerNote: 'En envoyant un message, vous devenez propriétaire de cette conversation.',
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
  connecting: 'Connexion au bureau… Vous pourrez écrire une fois connecté.',
  unreachable: (reason: string) =>
    `Les messages ne peuvent pas être envoyés pour l’instant : ${reason}`,
  sms: 'SMS',
  whatsapp: 'WhatsApp',
} satisfies Required<Translation<typeof en>>;
