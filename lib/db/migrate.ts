import 'server-only';
import { type Kysely, type Migration, Migrator } from 'kysely';
import * as m001 from './migrations/001-console';
import * as m004 from './migrations/004-wizard';
import * as m005 from './migrations/005-restore';
import * as m010 from './migrations/010-jobs';
import * as m014 from './migrations/014-shards';
import * as m017 from './migrations/017-hardening';
import * as m018 from './migrations/018-move-jobs';

// Migrations are listed in code (not read from a folder) so the bundled server finds them.
const migrations: Record<string, Migration> = {
  '001-console': m001,
  '004-wizard': m004,
  '005-restore': m005,
  '010-jobs': m010,
  '017-hardening': m017,
  '014-shards': m014,
  '018-move-jobs': m018,
};

export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'sipha_migration',
    migrationLockTableName: 'sipha_migration_lock',
    // Numbers are handed out per issue and land in any order (004 may precede 002).
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
