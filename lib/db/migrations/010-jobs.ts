import { type Kysely, sql } from 'kysely';
import { UTF8 } from './001-console';

// Background jobs (lib/jobs): one row per job of any kind (a wizard run, a restore, a Galera
// operation), its kind's state as JSON, the step running now and the console process running
// it, so a console that restarts finds what it interrupted. The wizard's and the restore's own
// tables (migrations 004 and 005) are copied in and dropped: their runs stay readable here.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sipha_job')
    .ifNotExists()
    .addColumn('job_id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('step', 'varchar(32)')
    .addColumn('owner', 'varchar(36)')
    .addColumn('target', 'varchar(64)', (c) => c.notNull().defaultTo(''))
    .addColumn('state', sql`mediumtext`, (c) => c.notNull())
    .addColumn('detail', 'varchar(1024)', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'varchar(96)', (c) => c.notNull())
    .addColumn('created_at', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .addColumn('updated_at', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .addColumn('finished_at', sql`datetime(3)`)
    .modifyEnd(UTF8)
    .execute();
  await db.schema
    .createIndex('sipha_job_kind_created')
    .ifNotExists()
    .on('sipha_job')
    .columns(['kind', 'created_at'])
    .execute();

  const tables = await sql<{ name: string }>`
    SELECT TABLE_NAME AS name FROM information_schema.TABLES
    WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ('sipha_wizard', 'sipha_restore')`.execute(db);
  const has = new Set(tables.rows.map((r) => r.name));
  if (has.has('sipha_wizard')) {
    await sql`
      INSERT IGNORE INTO sipha_job
        (job_id, kind, status, step, owner, target, state, detail, created_by, created_at, updated_at, finished_at)
      SELECT run_id, 'wizard', status, NULL, NULL, '', CONCAT('{"nodes":', nodes, ',"steps":', steps, '}'),
        '', created_by, created_at, updated_at, finished_at
      FROM sipha_wizard`.execute(db);
    await db.schema.dropTable('sipha_wizard').execute();
  }
  if (has.has('sipha_restore')) {
    await sql`
      INSERT IGNORE INTO sipha_job
        (job_id, kind, status, step, owner, target, state, detail, created_by, created_at, updated_at, finished_at)
      SELECT run_id, 'restore', status, IF(status = 'running', phase, NULL), NULL, target, steps,
        detail, created_by, created_at, updated_at, finished_at
      FROM sipha_restore`.execute(db);
    await db.schema.dropTable('sipha_restore').execute();
  }
}
