import 'server-only';
import { clusters, connectionListOf } from '@/lib/clusters/registry';
import type { UserKey } from '@/lib/users/cursor';
import { readMap } from './map';
import { aorKey, place, routeTable, type ShardRange } from './placement';

// What a map change would move, counted from the real rows: every cluster's subscribers are
// placed by the proposed map; those whose owner changes move, with their live registrations.

export interface MoveGroup {
  source: string;
  target: string;
  users: UserKey[];
  registrations: number;
}

export interface Plan {
  ranges: ShardRange[];
  /** Users pinned to a cluster by this change (a single-user move), by AOR. */
  pins: [string, string][];
  groups: MoveGroup[];
  users: number;
  registrations: number;
}

export async function planChange(change: {
  ranges?: ShardRange[];
  pins?: [UserKey, string][];
}): Promise<Plan> {
  const map = await readMap();
  const ranges = change.ranges ?? map.ranges;
  const pins = (change.pins ?? []).map(([u, c]): [string, string] => [aorKey(u), c]);
  const current = routeTable(map.ranges, map.overrides);
  // Overrides of a finished move stay; this change's pins come on top.
  const next = routeTable(ranges, [...map.overrides, ...pins]);
  const groups = new Map<string, MoveGroup>();
  for (const c of clusters()) {
    const list = await connectionListOf(c.name);
    const { value } = await list.read(async (db) => {
      const users = await db.selectFrom('subscriber').select(['username', 'domain']).execute();
      const live = await db
        .selectFrom('location')
        .select(['username', 'domain'])
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('expires', '>', new Date())
        .groupBy(['username', 'domain'])
        .execute();
      return { users, live };
    }, 30_000);
    const liveBy = new Map(
      value.live.map((l) => [aorKey({ username: l.username, domain: l.domain ?? '' }), Number(l.n)]),
    );
    for (const u of value.users) {
      if (place(current, u) !== c.name) continue; // a stray copy; its owner counts it
      const target = place(next, u);
      if (target === c.name) continue;
      const k = `${c.name}>${target}`;
      const g = groups.get(k) ?? { source: c.name, target, users: [], registrations: 0 };
      g.users.push({ username: u.username, domain: u.domain });
      g.registrations += liveBy.get(aorKey(u)) ?? 0;
      groups.set(k, g);
    }
  }
  const all = [...groups.values()];
  return {
    ranges,
    pins,
    groups: all,
    users: all.reduce((n, g) => n + g.users.length, 0),
    registrations: all.reduce((n, g) => n + g.registrations, 0),
  };
}
