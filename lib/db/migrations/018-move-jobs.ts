import { type Kysely, sql } from 'kysely';

// Shard moves become jobs of kind `shards.move` in sipha_job (migration 010): each row of
// sipha_shard_move (migration 014) is copied with the phases before the one it reached
// recorded as done, so an unfinished move is still offered and runs on from there; the old
// table is dropped.

const PHASES = ['pin', 'copy', 'flip', 'catchup', 'verify', 'commit', 'cleanup', 'done'];

type Row = {
  move_id: string;
  status: string;
  phase: string;
  plan: string;
  detail: string;
  source: string;
  target: string;
  created_by: string;
  created_at: Date;
  updated_at: Date;
};

export async function up(db: Kysely<unknown>): Promise<void> {
  const exists = await sql<{ n: number }>`
    SELECT COUNT(*) AS n FROM information_schema.TABLES
    WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'sipha_shard_move'`.execute(db);
  if (Number(exists.rows[0]?.n ?? 0) === 0) return;
  const { rows } = await sql<Row>`SELECT * FROM sipha_shard_move`.execute(db);
  for (const r of rows) {
    const reached = Math.max(0, PHASES.indexOf(r.phase));
    const steps = Object.fromEntries(
      PHASES.slice(0, reached).map((p) => [
        p,
        { status: 'done', detail: p === PHASES[reached - 1] ? r.detail : '' },
      ]),
    );
    const status = r.status === 'done' ? 'succeeded' : r.status === 'failed' ? 'failed' : 'running';
    const step = status === 'running' && r.phase !== 'done' ? r.phase : null;
    const state = JSON.stringify({ steps, data: JSON.parse(r.plan) });
    await sql`
      INSERT IGNORE INTO sipha_job
        (job_id, kind, status, step, owner, target, state, detail, created_by, created_at, updated_at, finished_at)
      VALUES (${r.move_id}, 'shards.move', ${status}, ${step}, NULL, ${`${r.source} -> ${r.target}`}, ${state},
        ${status === 'failed' ? r.detail.replace(/^\w+: /, '') : ''}, ${r.created_by}, ${r.created_at}, ${r.updated_at},
        ${status === 'running' ? null : r.updated_at})`.execute(db);
  }
  await db.schema.dropTable('sipha_shard_move').execute();
}
