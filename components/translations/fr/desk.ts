import type { Translation } from '../../shared/localize.js';
import type { en } from '../../desk/desk.strings.js';

/** French for `<cd-desk>`. */
export const fr: Translation<typeof en> = {
  navigation: 'Boîtes de réception',
  myInbox: 'Ma boîte',
  senderInboxes: 'Boîtes par identifiant d’expéditeur',
  teamInbox: 'Boîte de l’équipe',
  teamEntry: (name: string) => `Boîte de l’équipe › ${name}`,
  noTeam: 'Aucun utilisateur standard ne dispose d’une licence du portail.',
  sentMessages: 'Messages envoyés',
  newConversation: 'Nouvelle conversation',
  unread: (n: number) => (n === 1 ? '1 non lue' : `${n} non lues`),
  sms: 'SMS',
  whatsapp: 'WhatsApp',
  back: 'Retour',
  backToInboxes: 'Retour aux boîtes de réception',
  backToList: 'Retour à la liste',
  loading: 'Chargement du bureau…',
  error: 'Le bureau n’a pas pu se connecter.',
  retry: 'Réessayer',
  empty: 'Choisissez une conversation pour la lire ici.',
  conversationPane: 'Conversation',
  assigned: (n: number, name: string) =>
    n === 1 ? `Attribuée à ${name}.` : `${n} conversations attribuées à ${name}.`,
  shortcuts: 'Raccourcis clavier',
  shortcutsTitle: 'Raccourcis clavier',
  shortcutNext: 'Conversation suivante',
  shortcutPrevious: 'Conversation précédente',
  shortcutSearch: 'Rechercher',
  shortcutReply: 'Répondre',
  shortcutAssign: 'Attribuer la conversation ouverte',
  shortcutHelp: 'Afficher ces raccourcis',
  close: 'Fermer',
  titleCount: (n: number, title: string) => `(${n}) ${title}`,
};
