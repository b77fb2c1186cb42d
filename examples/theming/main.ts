/** Theming and i18n: a partner's brand through tokens and parts, and the desk in French. */
import '../../components/index.js';
import { connectDemoUser, openDemoBackend } from '../shared/demo-backend.js';

const backend = await openDemoBackend('converse-desk-theming-example');
const desk = document.querySelector('cd-desk')!;
desk.client = await connectDemoUser(backend, 'ada');

const brand = document.querySelector<HTMLInputElement>('#brand')!;
brand.addEventListener('change', () => document.body.classList.toggle('fjord', brand.checked));
const language = document.querySelector<HTMLSelectElement>('#lang')!;
// Elements follow the closest `lang` attribute; French ships with the kit.
language.addEventListener('change', () => desk.setAttribute('lang', language.value));
