import 'server-only';
import { type Kysely, type Migration, Migrator } from 'kysely';
import * as m001 from './migrations/001-console';

// Migrations are listed in code (not read from a folder) so the bundled server finds them.
const migrations: Record<string, Migration> = { '001-console': m001 };

export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'sipha_migration',
    migrationLockTableName: 'sipha_migration_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
