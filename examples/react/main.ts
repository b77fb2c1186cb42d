/** A React host page: React renders the layout, and the desk is a React component. */
import { createElement as h, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { DeskClient } from 'converse-desk';
import { Desk } from 'converse-desk/react';
import { connectDemoUser, openDemoBackend } from '../shared/demo-backend.js';

const backend = await openDemoBackend('converse-desk-react-example');

function App() {
  const [userId, setUserId] = useState('ada');
  const [client, setClient] = useState<DeskClient>();
  const [notifications, setNotifications] = useState(0);

  useEffect(() => {
    let current: DeskClient | undefined;
    void connectDemoUser(backend, userId).then((c) => setClient((current = c)));
    return () => current?.disconnect();
  }, [userId]);

  return h(
    'div',
    { className: 'app' },
    h(
      'header',
      null,
      h('h1', null, 'React host'),
      h(
        'label',
        null,
        'User ',
        h(
          'select',
          {
            value: userId,
            onChange: (e: { target: { value: string } }) => setUserId(e.target.value),
          },
          h('option', { value: 'ada' }, 'Ada (admin)'),
          h('option', { value: 'sam' }, 'Sam'),
          h('option', { value: 'lee' }, 'Lee'),
        ),
      ),
      h('span', { 'aria-live': 'polite' }, `${notifications} notifications`),
    ),
    // converse-desk/react: `client` is set as a property, and `onCdNotification` is typed.
    client &&
      h(Desk, {
        client,
        onCdNotification: (event) => setNotifications(event.detail.unseen),
      }),
  );
}

createRoot(document.querySelector('#root')!).render(h(App));
