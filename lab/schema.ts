import { kamailioSchemaSql } from '../lib/db/kamailio-sql.ts';
import { digestHashes } from '../lib/users/hash.ts';
import { query } from './mariadb.ts';
import type { LabNode } from './state.ts';

export function seedUsers(n: number): { username: string; password: string }[] {
  return Array.from({ length: n }, (_, i) => ({
    username: `user${1000 + i}`,
    password: `secret${1000 + i}`,
  }));
}

/** Kamailio's own SQL as Debian ships it, unchanged, in database `kamailio`. */
export async function createSchema(node: LabNode): Promise<void> {
  await query(node.socket, `CREATE DATABASE IF NOT EXISTS kamailio; USE kamailio; ${kamailioSchemaSql()}`);
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
