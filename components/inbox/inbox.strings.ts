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
  empty:
    'No conversations yet. Customers’ messages to your numbers appear here; start one with New conversation.',
  emptySent: 'No messages sent yet. Conversations you write in appear here.',
  emptyTeam: 'This user has no conversations.',
  loading: 'Loading conversations…',
  loadFailed: 'The conversations could not be loaded.',
  retry: 'Try again',
  rowOptedOut: 'Opted out',
  rowFailed: 'Not delivered',
  rowQueued: 'Queued',
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
};
