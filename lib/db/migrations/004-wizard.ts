import { type Kysely, sql } from 'kysely';

// The replication wizard's state: one row per run, the per-step status, results and
// statement log as JSON, so a console restart resumes at the same step. Probe rows written by
// the wizard's end-to-end check live in their own table, never in Kamailio's.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sipha_wizard')
    .ifNotExists()
    .addColumn('run_id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('status', 'varchar(16)', (c) => c.notNull().defaultTo('open'))
    .addColumn('current_step', 'varchar(32)', (c) => c.notNull())
    .addColumn('nodes', 'varchar(1024)', (c) => c.notNull())
    .addColumn('steps', sql`mediumtext`, (c) => c.notNull())
    .addColumn('created_by', 'varchar(96)', (c) => c.notNull())
    .addColumn('created_at', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .addColumn('updated_at', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .addColumn('finished_at', sql`datetime(3)`)
    // Step logs quote node names, statements and server messages: any character may appear.
    .modifyEnd(sql`DEFAULT CHARSET = utf8mb4`)
    .execute();
  await db.schema
    .createIndex('sipha_wizard_created')
    .ifNotExists()
    .on('sipha_wizard')
    .column('created_at')
    .execute();

  await db.schema
    .createTable('sipha_wizard_probe')
    .ifNotExists()
    .addColumn('probe_id', 'varchar(96)', (c) => c.primaryKey())
    .addColumn('run_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('origin', 'varchar(32)', (c) => c.notNull())
    .addColumn('written_at', sql`datetime(6)`, (c) => c.notNull())
    .modifyEnd(sql`DEFAULT CHARSET = utf8mb4`)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sipha_wizard_probe').ifExists().execute();
  await db.schema.dropTable('sipha_wizard').ifExists().execute();
}
