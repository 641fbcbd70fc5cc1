import 'server-only';
import { getConfig } from '@/lib/config/load';
import { logError } from '@/lib/errors';
import { ConnectionList } from './connection-list';
import { migrateToLatest } from './migrate';

// One connection list per console process. Kept on globalThis so that dev-mode reloads of a
// module do not open a second set of pools and probers.

const g = globalThis as unknown as { __siphaList?: Promise<ConnectionList> };

async function create(): Promise<ConnectionList> {
  const list = new ConnectionList(getConfig());
  await list.ready();
  // The console's own tables, created on the active node; replication carries them on.
  const active = list.active();
  if (active) {
    await list
      .write({ run: (db) => migrateToLatest(db as never) })
      .catch((err) => logError('migration failed; will retry on next start', err));
  }
  return list;
}

export function getConnectionList(): Promise<ConnectionList> {
  g.__siphaList ??= create().catch((err) => {
    g.__siphaList = undefined;
    throw err;
  });
  return g.__siphaList;
}

/** Closes this process's connection list (tests, shutdown); the next caller opens a new one. */
export async function closeConnectionList(): Promise<void> {
  const pending = g.__siphaList;
  g.__siphaList = undefined;
  await (await pending?.catch(() => undefined))?.close();
}

export type { NodeRole, NodeRuntime, Served } from './connection-list';
export { ConnectionList } from './connection-list';
