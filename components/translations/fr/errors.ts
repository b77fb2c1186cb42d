import type { Translation } from '../../shared/localize.js';
import type { en } from '../../shared/errors.strings.js';

/** French for the refusals every element explains. */
export const fr: Translation<typeof en> = {
  forbidden: 'Vous n’êtes pas autorisé à faire cela.',
  notFound: 'Cet élément n’existe plus. Rechargez la page pour voir la dernière version.',
  invalidPhone: 'Ce numéro de téléphone n’est pas valide pour le pays choisi.',
  countryCodeMissing: 'Choisissez un indicatif pays pour le numéro.',
  invalidInput: 'Une partie de la saisie n’est pas valide. Vérifiez-la et réessayez.',
  nameMissing: 'Saisissez un prénom.',
  empty: 'Écrivez un message, joignez un fichier ou choisissez un modèle.',
  tooManyCharacters: (max: number, n: number) =>
    `Un message WhatsApp compte au plus ${max} caractères ; celui-ci en a ${n}.`,
  tooManyParts: (max: number, n: number) =>
    `Un SMS compte au plus ${max} parties ; celui-ci en demande ${n}.`,
  hoursNeverOpen: 'Les horaires d’ouverture ne s’ouvrent jamais : le message ne partirait jamais.',
  windowClosed:
    'La fenêtre de service client WhatsApp de 24 heures est fermée : seul un modèle WhatsApp enregistré peut être envoyé.',
  windowNew:
    'Une nouvelle conversation WhatsApp ne peut commencer que par un modèle WhatsApp enregistré.',
  windowClosesFirst:
    'La fenêtre de service se ferme avant l’ouverture : seul un modèle WhatsApp enregistré peut être mis en attente.',
  templateEdited: 'Le texte d’un modèle ne peut pas être modifié quand la fenêtre est fermée.',
  templateMedia: 'Aucun fichier ne peut accompagner un modèle quand la fenêtre est fermée.',
  noConsent:
    'Ce client n’a pas consenti à recevoir des messages WhatsApp : l’entreprise ne peut pas commencer la conversation.',
  optedOut: (channel: string) =>
    `Ce numéro s’est désabonné des messages ${channel} : rien ne peut lui être envoyé sur ce canal.`,
  templateChannel: (channel: string) => `Ce modèle est pour ${channel}, pas pour ce canal.`,
  templateType: 'Seuls les modèles de conversation peuvent être envoyés depuis le bureau.',
  missingFields: (fields: string) => `Le modèle a besoin de : ${fields} du client.`,
  mediaType: (name: string) => `« ${name} » est d’un type de fichier que ce canal n’accepte pas.`,
  mediaSize: (name: string, max: string) => `« ${name} » dépasse les ${max} autorisés.`,
  mediaEmpty: (name: string) => `« ${name} » est vide.`,
  mediaCount: (max: number) => `Au plus ${max} fichiers par message.`,
  confirmationRequired: 'Confirmez d’abord : cela change ce qu’un autre utilisateur voit.',
  notRetryable: 'Seul un message en échec peut être renvoyé.',
  conflict: 'Un contact avec ce numéro existe déjà.',
  network: 'Le bureau n’a pas pu joindre le serveur. Vérifiez la connexion et réessayez.',
  timeout: 'Le serveur n’a pas répondu à temps. Réessayez.',
  unauthorized: 'Votre session a pris fin. Reconnectez-vous.',
  rateLimited: 'Trop de requêtes à la fois. Patientez un instant et réessayez.',
  server: 'Le serveur a rencontré un problème. Réessayez dans un instant.',
  generic: 'Cela n’a pas fonctionné. Veuillez réessayer.',
  fieldFirstName: 'prénom',
  fieldLastName: 'nom',
  fieldName: 'nom complet',
  fieldPhone: 'numéro de téléphone',
  fieldEmail: 'adresse e-mail',
  sms: 'SMS',
  whatsapp: 'WhatsApp',
  megabytes: (n: number) => `${n} Mo`,
};
