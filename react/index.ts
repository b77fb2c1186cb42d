/**
 * converse-desk/react: the elements as React components (made with @lit/react, as Shoelace ships
 * them). Properties such as `client` are set as properties, and every `cd-*` event has a typed
 * `onCd…` prop. Importing this module defines the elements.
 */
import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import {
  CdAssignDialog,
  CdCompose,
  CdConversation,
  CdDesk,
  CdDeskProvider,
  CdInbox,
  CdNewConversation,
} from '../components/index.js';

/** A `cd-*` event with the detail type its element declares. */
type On<K extends keyof GlobalEventHandlersEventMap> = EventName<GlobalEventHandlersEventMap[K]>;

const composeEvents = {
  onCdSend: 'cd-send' as On<'cd-send'>,
  onCdSent: 'cd-sent' as On<'cd-sent'>,
};

export const Desk = /* @__PURE__ */ createComponent({
  react: React,
  tagName: 'cd-desk',
  elementClass: CdDesk,
  displayName: 'Desk',
  events: {
    onCdNotification: 'cd-notification' as On<'cd-notification'>,
    onCdConversationSelect: 'cd-conversation-select' as On<'cd-conversation-select'>,
    onCdAssigned: 'cd-assigned' as On<'cd-assigned'>,
    onCdConversationStarted: 'cd-conversation-started' as On<'cd-conversation-started'>,
    ...composeEvents,
  },
});

export const DeskProvider = /* @__PURE__ */ createComponent({
  react: React,
  tagName: 'cd-desk-provider',
  elementClass: CdDeskProvider,
  displayName: 'DeskProvider',
});

export const Inbox = /* @__PURE__ */ createComponent({
  react: React,
  tagName: 'cd-inbox',
  elementClass: CdInbox,
  displayName: 'Inbox',
  events: {
    onCdConversationSelect: 'cd-conversation-select' as On<'cd-conversation-select'>,
    onCdAssignRequest: 'cd-assign-request' as On<'cd-assign-request'>,
    onCdSelectionChange: 'cd-selection-change' as On<'cd-selection-change'>,
  },
});

export const Conversation = /* @__PURE__ */ createComponent({
  react: React,
  tagName: 'cd-conversation',
  elementClass: CdConversation,
  displayName: 'Conversation',
  events: composeEvents,
});

export const Compose = /* @__PURE__ */ createComponent({
  react: React,
  tagName: 'cd-compose',
  elementClass: CdCompose,
  displayName: 'Compose',
  events: composeEvents,
});

export const AssignDialog = /* @__PURE__ */ createComponent({
  react: React,
  tagName: 'cd-assign-dialog',
  elementClass: CdAssignDialog,
  displayName: 'AssignDialog',
  events: {
    onCdAssign: 'cd-assign' as On<'cd-assign'>,
    onCdAssigned: 'cd-assigned' as On<'cd-assigned'>,
    onCdClose: 'cd-close' as On<'cd-close'>,
  },
});

export const NewConversation = /* @__PURE__ */ createComponent({
  react: React,
  tagName: 'cd-new-conversation',
  elementClass: CdNewConversation,
  displayName: 'NewConversation',
  events: {
    onCdConversationStarted: 'cd-conversation-started' as On<'cd-conversation-started'>,
    onCdClose: 'cd-close' as On<'cd-close'>,
    ...composeEvents,
  },
});
