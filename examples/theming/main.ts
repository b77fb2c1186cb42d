/** Theming and i18n: a partner's brand through tokens and parts, and the desk in French. */
import 'converse-desk/components';
// Languages are opt-in: French is added by this import, not bundled into every element.
import 'converse-desk/components/translations/fr';
import { connectDemoUser, openDemoBackend } from '../shared/demo-backend.js';

const backend = await openDemoBackend('converse-desk-theming-example');
const desk = document.querySelector('cd-desk')!;
desk.client = await connectDemoUser(backend, 'ada');

const brand = document.querySelector<HTMLInputElement>('#brand')!;
brand.addEventListener('change', () => document.body.classList.toggle('fjord', brand.checked));
const language = document.querySelector<HTMLSelectElement>('#lang')!;
// Elements follow the closest `lang` attribute.
language.addEventListener('change', () => desk.setAttribute('lang', language.value));
