import 'server-only';
import type { NodeConfig } from '@/lib/config/schema';
import { type Session, withSession } from '@/lib/db/sessions';

// Evicting a member whose process is gone (evs.evict) from the survivors' view: on which
// survivor, in which order, and the evict lists left behind. Galera passes an eviction on by
// itself: the survivor told to evict sends a join message naming the member evicted, and each
// survivor that receives it evicts it too. The next view is installed by its representative,
// the operational member with the lowest member id, once every survivor's join agrees.
//
// Measured on the lab (3 nodes, one SIGKILLed, writes waiting on the survivors):
// - told first and alone, the representative installs the view 6-19 ms after the statement:
//   its join reaches the others, whose answer already agrees;
// - told at once (or another survivor alone), each survivor sends a join that still counts the
//   dead member as operational (only a peer's join marks it inactive), then holds back its
//   corrected join (Galera sends at most one join per 100 ms) until evs.join_retrans_period:
//   202-231 ms with PT0.2S;
// - a member evicted earlier and still on a survivor's evict list (kept for
//   evs.view_forget_timeout, 24 h by default) comes back into the next round as an operational
//   member without a join, and the view waits for install_timeout - suspect_timeout (1 s in
//   the lab) whichever survivor is told. So once every survivor's view has dropped the member,
//   the list is cleared again, when it holds nothing but members this console evicted (their
//   processes are gone: a restart gets a new member id, so the entries protect nothing).

export interface Survivor {
  config: NodeConfig;
  /** Its member id (wsrep_gcomm_uuid) as last sampled. */
  uuid: string | undefined;
}

/**
 * The survivors in the order they are told: Galera's representative of the next view (the
 * lowest member id compared as bytes, which is the order of the lower-case hex text) first, then
 * the others in the order given; survivors whose id is unknown last.
 */
export function evictionOrder<T extends Survivor>(survivors: T[]): T[] {
  const known = survivors.filter((s) => s.uuid);
  const first = known.reduce<T | undefined>(
    (low, s) => (!low || s.uuid!.toLowerCase() < low.uuid!.toLowerCase() ? s : low),
    undefined,
  );
  if (!first) return [...survivors];
  return [first, ...known.filter((s) => s !== first), ...survivors.filter((s) => !s.uuid)];
}

/**
 * Whether a survivor's evict list (wsrep_evs_evict_list: member ids, comma-separated) may be
 * cleared: it holds something, and only members this console evicted. An entry an operator or
 * Galera's auto-eviction put there keeps the whole list (Galera can only clear all of it).
 */
export function clearableEvictList(list: string, ours: ReadonlySet<string>): boolean {
  const ids = list
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  return ids.length > 0 && ids.every((id) => ours.has(id));
}

export interface SurvivorEviction {
  /** The evict statement was run on it (the representative, or a survivor that did not follow). */
  told: boolean;
  /** Its view was seen without the member (smaller than before), when (Date.now()); else null. */
  viewAt: number | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function status(s: Session, name: string): Promise<string> {
  const [r] = await s.rows<{ Value: string }>(`SHOW GLOBAL STATUS LIKE '${name}'`);
  return String(r?.Value ?? '');
}

/** Polls until the survivor's view is smaller than `viewSize`, for up to `waitMs`. */
async function viewDropped(s: Session, viewSize: number, waitMs: number): Promise<number | null> {
  const end = Date.now() + waitMs;
  for (;;) {
    if (Number(await status(s, 'wsrep_cluster_size')) < viewSize) return Date.now();
    if (Date.now() >= end) return null;
    await sleep(5);
  }
}

const session = <T>(config: NodeConfig, timeoutMs: number, fn: (s: Session) => Promise<T>) =>
  withSession(config, { connectTimeoutMs: timeoutMs, statementTimeoutMs: timeoutMs, database: false }, fn);

/**
 * One survivor's part: `tell` runs the evict statement first; otherwise it is only told when its
 * view has not dropped the member within `waitMs` (it did not follow the representative).
 */
export async function evictOn(
  config: NodeConfig,
  {
    member,
    viewSize,
    tell,
    waitMs,
    timeoutMs,
  }: {
    member: string;
    viewSize: number;
    tell: boolean;
    waitMs: number;
    timeoutMs: number;
  },
): Promise<SurvivorEviction> {
  let told = false;
  const evict = async (s: Session) => {
    await s.rows(`SET GLOBAL wsrep_provider_options = 'evs.evict=${member}'`);
    told = true;
  };
  const viewAt = await session(config, timeoutMs, async (s) => {
    if (tell) await evict(s);
    const at = await viewDropped(s, viewSize, waitMs);
    if (at !== null || told) return at;
    await evict(s);
    return viewDropped(s, viewSize, waitMs);
  }).catch(() => null);
  return { told, viewAt };
}

/** Clears a survivor's evict list when `clearableEvictList` allows it; true when it did. */
export async function clearEvictList(
  config: NodeConfig,
  { ours, timeoutMs }: { ours: ReadonlySet<string>; timeoutMs: number },
): Promise<boolean> {
  return session(config, timeoutMs, async (s) => {
    if (!clearableEvictList(await status(s, 'wsrep_evs_evict_list'), ours)) return false;
    await s.rows("SET GLOBAL wsrep_provider_options = 'evs.evict='");
    return true;
  }).catch(() => false);
}

/** How long a survivor is watched for its view change before it is told (again) itself. */
const VIEW_WAIT_MS = 1000;

export interface EvictionOutcome {
  /** Each survivor, in the order given. */
  survivors: ({ name: string; cleared: boolean } & SurvivorEviction)[];
}

/**
 * Evicts `member` from the survivors' view of `viewSize`: the representative first, then each
 * other survivor once it has followed (told only when it has not), then the evict lists cleared
 * where only this console's members are on them and `mayClear()` still allows it.
 */
export async function evictMember({
  member,
  viewSize,
  survivors,
  ours,
  mayClear,
  timeoutMs,
}: {
  member: string;
  viewSize: number;
  survivors: Survivor[];
  ours: ReadonlySet<string>;
  mayClear: () => boolean;
  timeoutMs: number;
}): Promise<EvictionOutcome> {
  const [first, ...rest] = evictionOrder(survivors);
  const part = (s: Survivor, tell: boolean) =>
    evictOn(s.config, { member, viewSize, tell, waitMs: VIEW_WAIT_MS, timeoutMs });
  const done = new Map<Survivor, SurvivorEviction>();
  if (first) done.set(first, await part(first, true));
  // The representative may not have taken it (its statement failed): then the others are told.
  const followed = first && done.get(first)!.told;
  await Promise.all(rest.map(async (s) => done.set(s, await part(s, !followed))));
  const allDropped = [...done.values()].every((d) => d.viewAt !== null);
  const cleared = new Set<Survivor>();
  if (allDropped && mayClear())
    await Promise.all(
      survivors.map(async (s) => {
        if (await clearEvictList(s.config, { ours, timeoutMs })) cleared.add(s);
      }),
    );
  return {
    survivors: survivors.map((s) => ({
      name: s.config.name,
      ...(done.get(s) ?? { told: false, viewAt: null }),
      cleared: cleared.has(s),
    })),
  };
}
