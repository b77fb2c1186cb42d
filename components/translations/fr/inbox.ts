import type { Translation } from '../../shared/localize.js';
import type { en } from '../../inbox/inbox.strings.js';

/** French for `<cd-inbox>`. */
export const fr: Translation<typeof en> = {
  viewMine: 'Ma boîte de réception',
  viewSent: 'Messages envoyés',
  viewSender: (label: string) => `Boîte de réception ${label}`,
  viewTeam: (name: string) => `Boîte de réception de ${name}`,
  sms: 'SMS',
  whatsapp: 'WhatsApp',
  unread: 'Non lu',
  attachment: 'Pièce jointe :',
  search: 'Rechercher',
  searchLabel: 'Rechercher par nom ou numéro',
  searchPlaceholder: 'Nom ou numéro',
  resultCount: (n: number) =>
    n === 0
      ? 'Aucune conversation trouvée'
      : n === 1
        ? '1 conversation trouvée'
        : `${n} conversations trouvées`,
  selectAll: 'Tout sélectionner',
  selectedCount: (n: number) => (n <= 1 ? `${n} sélectionnée` : `${n} sélectionnées`),
  actions: 'Actions sur les conversations sélectionnées',
  markRead: 'Marquer comme lu',
  markUnread: 'Marquer comme non lu',
  assign: 'Attribuer',
  empty:
    'Aucune conversation pour l’instant. Les messages des clients à vos numéros arrivent ici ; commencez-en une avec Nouvelle conversation.',
  emptySent: 'Aucun message envoyé. Les conversations où vous écrivez apparaissent ici.',
  emptyTeam: 'Cet utilisateur n’a aucune conversation.',
  loading: 'Chargement des conversations…',
  loadFailed: 'Les conversations n’ont pas pu être chargées.',
  retry: 'Réessayer',
  rowOptedOut: 'Désabonné',
  rowFailed: 'Non remis',
  rowQueued: 'En attente',
  emptySearch: (query: string) => `Aucune conversation ne correspond à « ${query} ».`,
  confirmTitleRead: 'Marquer comme lu pour le propriétaire ?',
  confirmTitleUnread: 'Marquer comme non lu pour le propriétaire ?',
  confirmText: (n: number, owner: string, read: boolean, unchanged: number) =>
    `${n} conversation${n === 1 ? '' : 's'} apparaîtr${n === 1 ? 'a' : 'ont'} comme ${
      read ? 'lue' : 'non lue'
    }${n === 1 ? '' : 's'} pour ${owner}.${
      unchanged === 0
        ? ''
        : unchanged === 1
          ? ' 1 autre l’est déjà.'
          : ` ${unchanged} autres le sont déjà.`
    }`,
  confirmNothing: (owner: string, read: boolean) =>
    `Les conversations sélectionnées apparaissent déjà comme ${read ? 'lues' : 'non lues'} pour ${owner}.`,
  theirOwners: 'leurs propriétaires',
  confirm: 'Confirmer',
  cancel: 'Annuler',
  dismiss: 'Fermer',
};
