import { type Kysely, sql } from 'kysely';

// Restore runs: one row per run with its plan, per-step results and the measured
// read-lock window, so a console that restarts mid-restore finds the run and can offer to
// resume or roll back. The row lives with the SIP data and replicates like it.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sipha_restore')
    .ifNotExists()
    .addColumn('run_id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('procedure_mode', 'varchar(16)', (c) => c.notNull())
    .addColumn('target', 'varchar(32)', (c) => c.notNull())
    .addColumn('survivor', 'varchar(32)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('phase', 'varchar(32)', (c) => c.notNull())
    .addColumn('steps', sql`mediumtext`, (c) => c.notNull())
    .addColumn('lock_window_ms', 'integer')
    .addColumn('detail', 'varchar(1024)', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'varchar(96)', (c) => c.notNull())
    .addColumn('created_at', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .addColumn('updated_at', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .addColumn('finished_at', sql`datetime(3)`)
    .modifyEnd(sql`DEFAULT CHARSET = utf8mb4`)
    .execute();
  await db.schema
    .createIndex('sipha_restore_created')
    .ifNotExists()
    .on('sipha_restore')
    .column('created_at')
    .execute();
}
