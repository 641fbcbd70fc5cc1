import 'server-only';
import { clusters, connectionListOf, homeCluster } from '@/lib/clusters/registry';
import { getConfig } from '@/lib/config/load';
import { AppError } from '@/lib/errors';
import { kamailioRpc } from '@/lib/sip/jsonrpc';
import { type RouteTable, routeTable, type ShardRange } from './placement';
import { checkRanges, routeRows } from './routes';
import { shardDb } from './tables';

// The shard map lives on the home cluster and replicates like the console's other tables. A
// change is one transaction (new version, compiled htable rows), then every first stage is told
// to reload its htable over JSON-RPC. The console keeps the current map in memory for a second.

export interface ShardMap {
  version: number;
  ranges: ShardRange[];
  overrides: Map<string, string>;
  /** AORs pinned by a move that has not finished: their rows are being copied. */
  moving: Set<string>;
  reason: string;
  actor: string;
  at: Date | null;
}

let cache: { map: ShardMap; table: RouteTable; at: number } | null = null;

/** Without any version, every user belongs to the home cluster: adding a cluster moves no one. */
export function defaultMap(): ShardMap {
  return {
    version: 0,
    ranges: [{ from: '', cluster: homeCluster() }],
    overrides: new Map(),
    moving: new Set(),
    reason: '',
    actor: '',
    at: null,
  };
}

export async function readMap(): Promise<ShardMap> {
  if (clusters().length === 1) return defaultMap();
  const list = await connectionListOf(homeCluster());
  const { value } = await list.read(async (raw) => {
    const db = shardDb(raw);
    const v = await db
      .selectFrom('sipha_shard_version')
      .selectAll()
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    const o = await db.selectFrom('sipha_shard_override').select(['aor', 'cluster', 'move_id']).execute();
    return { v, o };
  });
  const base = value.v
    ? {
        version: value.v.version,
        ranges: JSON.parse(value.v.ranges) as ShardRange[],
        reason: value.v.reason,
        actor: value.v.actor,
        at: value.v.created_at,
      }
    : defaultMap();
  return {
    ...base,
    overrides: new Map(value.o.map((r) => [r.aor, r.cluster])),
    moving: new Set(value.o.filter((r) => r.move_id).map((r) => r.aor)),
  };
}

export interface MapVersion {
  version: number;
  ranges: ShardRange[];
  reason: string;
  actor: string;
  at: Date;
}

/** The newest `limit` versions of the map, newest first (none with a single cluster). */
export async function mapVersions({ limit }: { limit: number }): Promise<MapVersion[]> {
  if (clusters().length === 1) return [];
  const list = await connectionListOf(homeCluster());
  const { value } = await list.read((raw) =>
    shardDb(raw)
      .selectFrom('sipha_shard_version')
      .select(['version', 'ranges', 'reason', 'actor', 'created_at'])
      .orderBy('version', 'desc')
      .limit(limit)
      .execute(),
  );
  return value.map((v) => ({
    version: v.version,
    ranges: JSON.parse(v.ranges) as ShardRange[],
    reason: v.reason,
    actor: v.actor,
    at: v.created_at,
  }));
}

/** The map as the first stage holds it; cached for a second (map changes clear the cache). */
async function cached() {
  if (cache && Date.now() - cache.at < 1000) return cache;
  const map = await readMap();
  cache = { map, table: routeTable(map.ranges, map.overrides), at: Date.now() };
  return cache;
}

export async function currentTable(): Promise<RouteTable> {
  return (await cached()).table;
}

export async function movingUsers(): Promise<Set<string>> {
  return (await cached()).map.moving;
}

export interface MapChange {
  ranges?: ShardRange[];
  /** AOR (normalised) -> cluster to pin, or null to remove the pin. */
  overrides?: Map<string, string | null>;
  moveId?: string | null;
  reason: string;
  actor: string;
}

/** Writes a new version (ranges and overrides) and its compiled rows in one transaction. */
export async function changeMap(change: MapChange): Promise<{ version: number; node: string }> {
  const names = clusters().map((c) => c.name);
  if (change.ranges) {
    const bad = checkRanges(change.ranges, names);
    if (bad) throw new AppError('bad_request:input', `The shard map is not valid: ${bad}.`);
  }
  const list = await connectionListOf(homeCluster());
  const r = await list.write({
    run: (raw) =>
      shardDb(raw)
        .transaction()
        .execute(async (db) => {
          const last = await db
            .selectFrom('sipha_shard_version')
            .selectAll()
            .orderBy('version', 'desc')
            .limit(1)
            .forUpdate()
            .executeTakeFirst();
          const ranges =
            change.ranges ?? (last ? (JSON.parse(last.ranges) as ShardRange[]) : defaultMap().ranges);
          const version = (last?.version ?? 0) + 1;
          await db
            .insertInto('sipha_shard_version')
            .values({
              version,
              ranges: JSON.stringify(ranges),
              reason: change.reason.slice(0, 255),
              actor: change.actor,
            })
            .execute();
          // A thousand pins per statement: a move of 5,000 users is a handful of round trips.
          const pins = [...(change.overrides ?? [])];
          for (let i = 0; i < pins.length; i += 1000) {
            const part = pins.slice(i, i + 1000);
            await db
              .deleteFrom('sipha_shard_override')
              .where(
                'aor',
                'in',
                part.map(([aor]) => aor),
              )
              .execute();
            const set = part
              .filter(([, c]) => c !== null)
              .map(([aor, c]) => ({ aor, cluster: c!, move_id: change.moveId ?? null }));
            if (set.length) await db.insertInto('sipha_shard_override').values(set).execute();
          }
          const overrides = await db.selectFrom('sipha_shard_override').select(['aor', 'cluster']).execute();
          await db.deleteFrom('sipha_shard_route').execute();
          const rows = routeRows(
            ranges,
            overrides.map((o) => [o.aor, o.cluster]),
            names,
          );
          for (let i = 0; i < rows.length; i += 1000)
            await db
              .insertInto('sipha_shard_route')
              .values(rows.slice(i, i + 1000))
              .execute();
          return version;
        }),
  });
  cache = null;
  return { version: r.value, node: r.node };
}

/** Tells every first stage to load the map again; says which did not answer. */
export async function reloadFirstStages(): Promise<{ reloaded: string[]; failed: string[] }> {
  const reloaded: string[] = [];
  const failed: string[] = [];
  await Promise.all(
    getConfig().firstStages.map(async (f) => {
      try {
        await kamailioRpc({ url: f.rpcUrl, method: 'htable.reload', params: ['shard'], timeoutMs: 5000 });
        reloaded.push(f.name);
      } catch (err) {
        console.error(`[sipha] first stage ${f.name} did not reload the shard map`, err);
        failed.push(f.name);
      }
    }),
  );
  return { reloaded, failed };
}

/** Where a first stage routes this user now (its own lookup, over HTTP). */
export async function firstStageOwner(
  rpcUrl: string,
  user: { username: string; domain: string },
): Promise<string> {
  const hex = (s: string) => Buffer.from(s, 'latin1').toString('hex');
  const url = new URL(`/shard/${hex(user.username)}/${hex(user.domain)}`, rpcUrl);
  const res = await fetch(url, { signal: AbortSignal.timeout(2000), cache: 'no-store' });
  return (await res.text()).trim();
}
