import { expect } from 'vitest';

// Waiting in tests is always vitest's expect.poll: it retries until the condition holds and
// fails with the condition's name when it does not in time. No fixed sleeps.

/** Waits until `check` holds. */
export async function until(
  what: string,
  check: () => Promise<boolean> | boolean,
  ms = 15_000,
): Promise<void> {
  await expect
    .poll(check, { timeout: ms, interval: 50, message: `timed out waiting for ${what}` })
    .toBe(true);
}

/** Waits until `read` gives a value (not undefined) and returns it. */
export async function eventually<T>(
  what: string,
  read: () => Promise<T | undefined>,
  ms = 15_000,
): Promise<T> {
  let last: T | undefined;
  await expect
    .poll(
      async () => {
        last = await read();
        return last !== undefined;
      },
      { timeout: ms, interval: 50, message: `timed out waiting for ${what}` },
    )
    .toBe(true);
  return last as T;
}
