import type { Translation } from '../shared/localize.js';

/** Every user-visible string of `<cd-assign-dialog>`. Plurals and values are functions. */
export const en = {
  title: (n: number) => (n === 1 ? 'Assign conversation' : `Assign ${n} conversations`),
  description: (n: number) =>
    `Choose the user who will own ${n === 1 ? 'it' : 'them'}. ${
      n === 1 ? 'It moves' : 'They move'
    } to that user’s inbox, unread.`,
  assignee: 'Assign to',
  currentOwner: '(current owner)',
  noUsers: 'There is no standard user to assign to.',
  assign: 'Assign',
  cancel: 'Cancel',
  errorGeneric: 'The conversations could not be assigned. Please try again.',
};

export const fr: Translation<typeof en> = {
  title: (n: number) => (n === 1 ? 'Attribuer la conversation' : `Attribuer ${n} conversations`),
  description: (n: number) =>
    `Choisissez l’utilisateur qui en sera propriétaire. ${
      n === 1 ? 'Elle passe' : 'Elles passent'
    } dans sa boîte de réception, non ${n === 1 ? 'lue' : 'lues'}.`,
  assignee: 'Attribuer à',
  currentOwner: '(propriétaire actuel)',
  noUsers: 'Aucun utilisateur standard à qui attribuer.',
  assign: 'Attribuer',
  cancel: 'Annuler',
  errorGeneric: 'Les conversations n’ont pas pu être attribuées. Veuillez réessayer.',
};
