import 'server-only';
import { type Kysely, sql } from 'kysely';
import type { DB } from '@/lib/db/schema';
import { dialectFor, type Flavor } from '../../dialect';
import type { Statement } from '../../dialect/quote';
import { type BeatRead, readBeats } from './heartbeat';
import { normalizeReplicaStatus, type ReplicaStatus } from './status';

// One node's replication facts, read in one go: replica status (one row per source), GTID
// positions and the heartbeat rows. Runs in the background sampler only, never on a request.

export interface NodeFacts extends BeatRead {
  flavor: Flavor;
  replicas: ReplicaStatus[];
  gtid: { binlog: string | null; slave: string | null; current: string | null };
}

async function run(db: Kysely<DB>, st: Statement): Promise<Record<string, unknown>[]> {
  const q = sql.raw(st.sql);
  if (st.params?.length) throw new Error('parameterised status statements are not expected here');
  return (await q.execute(db)).rows as Record<string, unknown>[];
}

const str = (v: unknown) => (v === null || v === undefined || v === '' ? null : String(v));

export async function readNodeFacts({
  db,
  version,
}: {
  db: Kysely<DB>;
  version: string;
}): Promise<NodeFacts> {
  const dialect = dialectFor(version);
  const flavor = dialect.version.flavor;
  const statusRows = await run(db, dialect.replicaStatus());
  const [pos] = await run(db, dialect.gtidPositions());
  const beats = await readBeats({ db });
  return {
    flavor,
    replicas: statusRows.map((row) => normalizeReplicaStatus(flavor, row)),
    gtid: {
      // MariaDB names; MySQL's dialect aliases gtid_executed and friends into the same row.
      binlog: str(pos?.gtid_binlog_pos ?? pos?.gtid_executed),
      slave: str(pos?.gtid_slave_pos),
      current: str(pos?.gtid_current_pos ?? pos?.gtid_executed),
    },
    ...beats,
  };
}
