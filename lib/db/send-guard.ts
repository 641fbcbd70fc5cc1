import 'server-only';
import { AsyncLocalStorage } from 'node:async_hooks';

// What travels with a statement from the caller to the driver, without being passed through
// every function in between: its time bound, and a check made right before it is sent.

const timeoutScope = new AsyncLocalStorage<number>();
const guardScope = new AsyncLocalStorage<() => Error | null>();

/** Statements run inside `fn` (pooled or on a session) are bounded by `ms`. */
export function withQueryTimeout<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  return timeoutScope.run(ms, fn);
}

export function scopedTimeout(): number | undefined {
  return timeoutScope.getStore();
}

/**
 * Checked right before each statement of `fn` is sent: an error stops it there. The connection
 * list's writes use it so that a statement that chose a node before the node was fenced never
 * reaches it afterwards (when the node wakes up from a hang, say).
 */
export function withSendGuard<T>(guard: () => Error | null, fn: () => Promise<T>): Promise<T> {
  return guardScope.run(guard, fn);
}

export function sendGuardError(): Error | null {
  return guardScope.getStore()?.() ?? null;
}
