import type { Translation } from '../../shared/localize.js';
import type { en } from '../../assign-dialog/assign-dialog.strings.js';

/** French for `<cd-assign-dialog>`. */
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
};
