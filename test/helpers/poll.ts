// Waiting in tests and benchmarks: retry a condition every 50 ms until it holds, and fail with
// the condition's name when it does not in time. No fixed sleeps. Plain code, not vitest's
// expect.poll, so the benchmarks (which run outside vitest) share these helpers.

const INTERVAL_MS = 50;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `read` gives a value (not undefined) and returns it. */
export async function eventually<T>(
  what: string,
  read: () => Promise<T | undefined> | T | undefined,
  ms = 15_000,
  intervalMs = INTERVAL_MS,
): Promise<T> {
  const end = performance.now() + ms;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await read();
      if (v !== undefined) return v;
      lastError = undefined;
    } catch (e) {
      lastError = e;
    }
    if (performance.now() >= end) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out waiting for ${what}${why}`);
    }
    await sleep(intervalMs);
  }
}

/** Waits until `check` holds. */
export async function until(
  what: string,
  check: () => Promise<boolean> | boolean,
  ms = 15_000,
  intervalMs = INTERVAL_MS,
): Promise<void> {
  await eventually(what, async () => ((await check()) ? true : undefined), ms, intervalMs);
}
