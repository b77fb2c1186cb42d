import type { Translation } from '../shared/localize.js';

/** Every user-visible string of `<cd-inbox>`. Plurals and values are functions. */
export const en = {
  viewMine: 'My Inbox',
  viewSent: 'Sent Messages',
  viewSender: (label: string) => `${label} inbox`,
  viewTeam: (name: string) => `${name}’s inbox`,
  sms: 'SMS',
  whatsapp: 'WhatsApp',
  unread: 'Unread',
  attachment: 'Attachment:',
  search: 'Search',
  searchLabel: 'Search by name or number',
  searchPlaceholder: 'Name or number',
  resultCount: (n: number) =>
    n === 0
      ? 'No conversations found'
      : n === 1
        ? '1 conversation found'
        : `${n} conversations found`,
  selectAll: 'Select all',
  selectedCount: (n: number) => (n === 1 ? '1 selected' : `${n} selected`),
  actions: 'Actions on the selected conversations',
  markRead: 'Mark read',
  markUnread: 'Mark unread',
  assign: 'Assign',
  empty: 'No conversations yet.',
  emptySearch: (query: string) => `No conversation matches “${query}”.`,
  confirmTitleRead: 'Mark as read for the owner?',
  confirmTitleUnread: 'Mark as unread for the owner?',
  /** RD4: `n` counts only the conversations that change; `unchanged` those already so. */
  confirmText: (n: number, owner: string, read: boolean, unchanged: number) =>
    `${n === 1 ? '1 conversation' : `${n} conversations`} will show as ${
      read ? 'read' : 'unread'
    } for ${owner}.${
      unchanged === 0
        ? ''
        : unchanged === 1
          ? ' 1 other already does.'
          : ` ${unchanged} others already do.`
    }`,
  confirmNothing: (owner: string, read: boolean) =>
    `The selected conversations already show as ${read ? 'read' : 'unread'} for ${owner}.`,
  theirOwners: 'their owners',
  confirm: 'Confirm',
  cancel: 'Cancel',
  dismiss: 'Dismiss',
  errorGeneric: 'That did not work. Please try again.',
};

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
  empty: 'Aucune conversation pour l’instant.',
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
  errorGeneric: 'Cela n’a pas fonctionné. Veuillez réessayer.',
};
