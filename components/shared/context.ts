import { createContext } from '@lit/context';
import type { DeskClient } from '../../src/index.js';

/** The desk client, provided once by `<cd-desk>` or `<cd-desk-provider>` and consumed by every element. */
export const deskContext = createContext<DeskClient | undefined>(Symbol.for('converse-desk'));
