import { type Kysely, sql } from 'kysely';
import { UTF8 } from './001-console';

// Issue 17. Failed logins are counted per (source, typed user name), not per account, so that
// nobody can lock the admin out from elsewhere and an unknown name costs the same work as a
// real one. Sessions remember when they were last used, for the optional idle timeout.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sipha_login_throttle')
    .ifNotExists()
    .addColumn('source', 'varchar(96)', (c) => c.notNull())
    .addColumn('username', 'varchar(64)', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', sql`datetime(3)`)
    .addColumn('updated_at', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .addPrimaryKeyConstraint('sipha_login_throttle_pk', ['source', 'username'])
    .modifyEnd(UTF8)
    .execute();
  await sql`ALTER TABLE sipha_session ADD COLUMN IF NOT EXISTS last_seen_at datetime(3) NULL`.execute(db);
}
