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
};
