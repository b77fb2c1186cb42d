/** Assertions for refusals: a `DeskError` with the expected code. */
import { expect } from 'vitest';
import { isDeskError, type DeskError, type DeskErrorCode } from '../../src/index.js';

export function expectDeskError(fn: () => unknown, code: DeskErrorCode): DeskError {
  try {
    fn();
  } catch (error) {
    expect(isDeskError(error), `expected a DeskError ${code}, got ${String(error)}`).toBe(true);
    expect((error as DeskError).code).toBe(code);
    return error as DeskError;
  }
  return expect.fail(`expected a DeskError ${code}`);
}

export async function rejects(promise: Promise<unknown>, code: DeskErrorCode): Promise<DeskError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isDeskError(error), `expected a DeskError ${code}, got ${String(error)}`).toBe(true);
  expect((error as DeskError).code).toBe(code);
  return error as DeskError;
}
