/** A Vue host page: Vue renders the layout, and <cd-desk> is used like any element. */
import { createApp, defineComponent, h, ref, shallowRef, watchEffect } from 'vue';
import type { DeskClient } from 'converse-desk';
import 'converse-desk/components';
import { connectDemoUser, openDemoBackend } from '../shared/demo-backend.js';

const backend = await openDemoBackend('converse-desk-vue-example');

const App = defineComponent(() => {
  const userId = ref('ada');
  const client = shallowRef<DeskClient>();
  const notifications = ref(0);
  watchEffect(async (onCleanup) => {
    const c = await connectDemoUser(backend, userId.value);
    client.value = c;
    onCleanup(() => c.disconnect());
  });
  return () =>
    h('div', [
      h('header', [
        h('h1', 'Vue host'),
        h('label', [
          'User ',
          h(
            'select',
            {
              value: userId.value,
              onChange: (e: Event) => (userId.value = (e.target as HTMLSelectElement).value),
            },
            [
              h('option', { value: 'ada' }, 'Ada (admin)'),
              h('option', { value: 'sam' }, 'Sam'),
              h('option', { value: 'lee' }, 'Lee'),
            ],
          ),
        ]),
        h('span', { 'aria-live': 'polite' }, `${notifications.value} notifications`),
      ]),
      // `client` is a DOM property of <cd-desk>, so Vue sets it as one; `onCdNotification` listens to cd-notification.
      client.value &&
        h('cd-desk', { client: client.value, onCdNotification: () => notifications.value++ }),
    ]);
});

createApp(App).mount('#app');
