/**
 * `converse-desk/conformance`: the behaviour every desk backend must have, as one suite over the
 * `BackendAdapter` contract (like abstract-level's suite for stores). A backend passes a factory;
 * the suite registers its cases with the host's test runner (vitest, mocha, node:test…):
 *
 *   conformanceSuite({ describe, it }, { open: async (seed) => ({ connect, receive, … }) });
 *
 * Every case names the rule of RULES.md it proves.
 */
import type { BackendAdapter } from '../adapter.js';
import type { SeedData } from '../engine/commands/directory.js';
import type { Media, UserId } from '../types.js';
import { registerAccessCases } from './cases-access.js';
import { registerComposeCases } from './cases-compose.js';
import { registerCountCases } from './cases-counts.js';
import { registerInputCases } from './cases-input.js';
import { registerPeopleCases } from './cases-people.js';
import { registerRoutingCases } from './cases-routing.js';
import { registerSendingCases } from './cases-sending.js';
import { registerViewCases } from './cases-views.js';

export interface ConformanceBackend {
  /** The adapter for one signed-in user. */
  connect(userId: UserId): BackendAdapter;
  /** The provider's side: a customer writes in (RT1–RT5). */
  receive(input: {
    senderId: string;
    from: string;
    text?: string;
    media?: Media[];
  }): Promise<unknown>;
  /** C3: a campaign sent by `userId`. */
  campaign(input: {
    senderId: string;
    userId: UserId;
    to: string[];
    text: string;
  }): Promise<unknown>;
  /** Lets the provider finish what it was given (statuses reach their final value, SN7). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export interface ConformanceTarget {
  /** A fresh backend holding exactly `seed`. */
  open(seed: SeedData): Promise<ConformanceBackend>;
}

/** The test runner's registration functions. */
export interface TestApi {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void>, timeoutMs?: number): void;
}

export interface CaseContext {
  it: TestApi['it'];
  /** Runs `body` on a fresh backend (seeded with `seed`, the suite's account by default). */
  withBackend(body: (backend: ConformanceBackend) => Promise<void>, seed?: SeedData): Promise<void>;
}

export function conformanceSuite(
  test: TestApi,
  target: ConformanceTarget,
  name = 'desk backend conformance',
): void {
  const ctx: CaseContext = {
    it: test.it,
    async withBackend(body, seed) {
      const backend = await target.open(seed ?? conformanceSeed());
      try {
        await body(backend);
      } finally {
        await backend.close();
      }
    },
  };
  test.describe(name, () => {
    test.describe('routing and ownership', () => registerRoutingCases(ctx));
    test.describe('sending', () => registerSendingCases(ctx));
    test.describe('starting a conversation, SMS parts', () => registerComposeCases(ctx));
    test.describe('users, deletion, Team Inbox', () => registerPeopleCases(ctx));
    test.describe('permissions, read state, assignment', () => registerAccessCases(ctx));
    test.describe('untrusted input', () => registerInputCases(ctx));
    test.describe('views, paging and search', () => registerViewCases(ctx));
    test.describe('view counts', () => registerCountCases(ctx));
  });
}

import { conformanceSeed } from './fixture.js';
export {
  closedNowSeed,
  conformanceSeed,
  deletingOperations,
  operationNames,
  PHONE,
} from './fixture.js';
