import { type Kysely, sql } from 'kysely';

// sipha's own tables. All prefixed sipha_, all InnoDB so they replicate with the SIP data and
// survive a failover; Kamailio's tables are never altered.

// Kamailio's database is often latin1; sipha's own rows (audit details, names) need utf8mb4.
export const UTF8 = sql`ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sipha_node_state')
    .ifNotExists()
    .addColumn('node', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('fenced', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('reason', 'varchar(255)', (c) => c.notNull().defaultTo(''))
    .addColumn('changed_at', sql`datetime(3)`, (c) => c.notNull())
    .addColumn('epoch', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('changed_by', 'varchar(64)', (c) => c.notNull().defaultTo(''))
    .modifyEnd(UTF8)
    .execute();

  await db.schema
    .createTable('sipha_account')
    .ifNotExists()
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement().unsigned())
    .addColumn('username', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('password_hash', 'varchar(255)', (c) => c.notNull())
    .addColumn('role', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_at', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', sql`datetime(3)`)
    .addColumn('disabled', 'boolean', (c) => c.notNull().defaultTo(false))
    .modifyEnd(UTF8)
    .execute();

  await db.schema
    .createTable('sipha_session')
    .ifNotExists()
    .addColumn('id_hash', 'char(64)', (c) => c.primaryKey())
    .addColumn('account_id', 'integer', (c) => c.notNull().unsigned())
    .addColumn('created_at', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .addColumn('expires_at', sql`datetime(3)`, (c) => c.notNull())
    .modifyEnd(UTF8)
    .execute();

  await db.schema
    .createTable('sipha_api_token')
    .ifNotExists()
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement().unsigned())
    .addColumn('name', 'varchar(64)', (c) => c.notNull())
    .addColumn('token_hash', 'char(64)', (c) => c.notNull().unique())
    .addColumn('role', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_by', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .addColumn('revoked_at', sql`datetime(3)`)
    .addColumn('last_used_at', sql`datetime(3)`)
    .modifyEnd(UTF8)
    .execute();

  await db.schema
    .createTable('sipha_audit')
    .ifNotExists()
    .addColumn('id', 'bigint', (c) => c.primaryKey().autoIncrement().unsigned())
    .addColumn('at', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .addColumn('actor', 'varchar(96)', (c) => c.notNull())
    .addColumn('action', 'varchar(64)', (c) => c.notNull())
    .addColumn('target', 'varchar(255)', (c) => c.notNull().defaultTo(''))
    .addColumn('node', 'varchar(32)')
    .addColumn('outcome', 'varchar(16)', (c) => c.notNull())
    .addColumn('detail', 'varchar(1024)', (c) => c.notNull().defaultTo(''))
    .modifyEnd(UTF8)
    .execute();
  await db.schema.createIndex('sipha_audit_at').ifNotExists().on('sipha_audit').column('at').execute();
  await db.schema
    .createIndex('sipha_audit_actor')
    .ifNotExists()
    .on('sipha_audit')
    .columns(['actor', 'at'])
    .execute();

  await db.schema
    .createTable('sipha_heartbeat')
    .ifNotExists()
    .addColumn('node', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('beat_at', sql`datetime(6)`, (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .modifyEnd(UTF8)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'sipha_heartbeat',
    'sipha_audit',
    'sipha_api_token',
    'sipha_session',
    'sipha_account',
    'sipha_node_state',
  ])
    await db.schema.dropTable(t).ifExists().execute();
}
