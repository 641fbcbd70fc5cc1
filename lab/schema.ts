import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { digestHashes } from '../lib/users/hash.ts';
import { query } from './mariadb.ts';
import type { LabNode } from './state.ts';

export const KAMAILIO_SQL_DIR = '/usr/share/kamailio/mysql';
/** standard: `version`; auth_db: `subscriber`; usrloc: `location` (and location_attrs). */
export const SCHEMA_FILES = ['standard-create.sql', 'auth_db-create.sql', 'usrloc-create.sql'];

export function seedUsers(n: number): { username: string; password: string }[] {
  return Array.from({ length: n }, (_, i) => ({
    username: `user${1000 + i}`,
    password: `secret${1000 + i}`,
  }));
}

/** Kamailio's own SQL as Debian ships it, unchanged, in database `kamailio`. */
export async function createSchema(node: LabNode): Promise<void> {
  const sql = SCHEMA_FILES.map((f) => readFileSync(join(KAMAILIO_SQL_DIR, f), 'utf8')).join('\n');
  await query(node.socket, `CREATE DATABASE IF NOT EXISTS kamailio; USE kamailio; ${sql}`);
}

export async function seed(node: LabNode, domain: string, count = 100): Promise<void> {
  const rows = seedUsers(count).map((u) => {
    const h = digestHashes({ username: u.username, domain, password: u.password });
    return [u.username, domain, '', h.ha1, h.ha1b];
  });
  await query(
    node.socket,
    'INSERT INTO kamailio.subscriber (username, domain, password, ha1, ha1b) VALUES ?',
    [rows],
  );
}
