import { type Kysely, sql } from 'kysely';
import { UTF8 } from './001-console';

// The shard map (issue 14), on the home cluster. Versions hold the ranges as the operator wrote
// them; overrides pin single users while they move; `sipha_shard_route` is the compiled map in
// the column layout of Kamailio's htable module, which the first stage loads into memory at start
// and again on `htable.reload` — never per request. Keys are byte-compared (ascii_bin).

const BIN = sql`ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sipha_shard_version')
    .ifNotExists()
    .addColumn('version', 'integer', (c) => c.primaryKey().unsigned())
    .addColumn('ranges', sql`mediumtext`, (c) => c.notNull())
    .addColumn('reason', 'varchar(255)', (c) => c.notNull().defaultTo(''))
    .addColumn('actor', 'varchar(96)', (c) => c.notNull())
    .addColumn('created_at', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .modifyEnd(UTF8)
    .execute();
  await db.schema
    .createTable('sipha_shard_override')
    .ifNotExists()
    .addColumn('aor', 'varchar(200)', (c) => c.primaryKey())
    .addColumn('cluster', 'varchar(32)', (c) => c.notNull())
    .addColumn('move_id', 'varchar(36)')
    .addColumn('created_at', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .modifyEnd(BIN)
    .execute();
  await db.schema
    .createTable('sipha_shard_route')
    .ifNotExists()
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement().unsigned())
    .addColumn('key_name', 'varchar(200)', (c) => c.notNull().unique())
    .addColumn('key_type', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('value_type', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('key_value', 'varchar(64)', (c) => c.notNull())
    .addColumn('expires', 'integer', (c) => c.notNull().defaultTo(0))
    .modifyEnd(BIN)
    .execute();
  await db.schema
    .createTable('sipha_shard_move')
    .ifNotExists()
    .addColumn('move_id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('source', 'varchar(32)', (c) => c.notNull())
    .addColumn('target', 'varchar(32)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('phase', 'varchar(16)', (c) => c.notNull())
    .addColumn('plan', sql`mediumtext`, (c) => c.notNull())
    .addColumn('detail', 'varchar(1024)', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'varchar(96)', (c) => c.notNull())
    .addColumn('created_at', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .addColumn('updated_at', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .modifyEnd(UTF8)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['sipha_shard_move', 'sipha_shard_route', 'sipha_shard_override', 'sipha_shard_version'])
    await db.schema.dropTable(t).ifExists().execute();
}
