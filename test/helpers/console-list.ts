import { readFileSync } from 'node:fs';
import { parseConfig } from '@/lib/config/load';
import type { SiphaConfig } from '@/lib/config/schema';
import { ConnectionList } from '@/lib/db/connection-list';
import { migrateToLatest } from '@/lib/db/migrate';

/** A connection list for a lab's nodes, as a console process would build it. */
export function labConfig(
  configPath: string,
  overrides: Partial<SiphaConfig['connection']> = {},
): SiphaConfig {
  const raw = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
  const cfg = parseConfig(raw);
  return { ...cfg, connection: { ...cfg.connection, ...overrides } };
}

export async function openList(
  configPath: string,
  overrides: Partial<SiphaConfig['connection']> = {},
): Promise<ConnectionList> {
  const list = new ConnectionList(labConfig(configPath, overrides), 'test');
  await list.ready();
  await list.write({ run: (db) => migrateToLatest(db as never) });
  return list;
}
