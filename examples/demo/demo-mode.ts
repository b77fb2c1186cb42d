import type { DeskClient } from 'converse-desk';
import type { DemoClock } from './demo-clock.js';
import type { SimulatorBackend } from './phone-simulator.js';

/** What the demo page needs of where its desk runs: the team server, or the browser alone. */
export interface DemoMode {
  /** The phone simulator's buttons. */
  simulator: SimulatorBackend;
  /** The in-browser demo only: a clock the simulator's time buttons move. */
  clock?: DemoClock;
  /** A desk client for `userId`, connected; the previous one is closed. */
  signIn(userId: string): Promise<DeskClient>;
  /** Puts the demo data back as it was at the start; the page reloads after. */
  reset(): Promise<void>;
}

/** Resolves once deleted, or once the deletion waits for another tab (it goes on after). */
export function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}
