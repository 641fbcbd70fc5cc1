import 'server-only';
import { AppError, logError } from '@/lib/errors';
import { type FenceState, newestFenceState, readFenceState, writeFenceState } from './fence-store';
import type { ListCore } from './list-core';
import { auditFailover, drainRelayLog, setReadOnly, stopSemiSyncWait } from './promote';
import type { NodeRuntime } from './runtime';
import { withQueryTimeout } from './send-guard';

// Failover and fencing (DESIGN.md, rules 1 and 2): the writer moves down the list only when the
// node above is unreachable, and the node it moved away from is fenced until restored. The
// fence state is shared with every console through the nodes themselves (fence-store.ts).

/** Brings `writer` up to date with active(), failing over when it moves down the list. */
export function settle(core: ListCore): Promise<void> {
  const run = async () => {
    const next = core.active();
    const prev = core.writer;
    if (
      !core.galera &&
      prev &&
      next !== prev &&
      !core.isFenced(prev.handle.name) &&
      prev.reachable === false
    ) {
      const below = next && core.nodes.indexOf(next) > core.nodes.indexOf(prev);
      if (below) await failover(core, prev, next);
    }
    // While no node can take writes the last writer stays remembered: whichever node takes
    // writes next is compared with it.
    core.writer = core.active() ?? prev;
  };
  const p = core.failoverChain.then(run, run);
  // Never rejects: a failed step is logged and writes go on against the new node.
  core.failoverChain = p.catch((e) => logError('failover step failed', e));
  return core.failoverChain.then(() => undefined);
}

/** Runs inside settle() only, so failovers never overlap. */
async function failover(core: ListCore, from: NodeRuntime, next: NodeRuntime): Promise<void> {
  // Another console may have changed the state meanwhile: build on the newest epoch.
  core.fence = newestFenceState([core.fence, await readFenceState(next.handle).catch(() => null)]);
  if (core.isFenced(from.handle.name)) return;
  const state: FenceState = { epoch: core.fence.epoch + 1, nodes: new Map(core.fence.nodes) };
  state.nodes.set(from.handle.name, {
    fenced: true,
    reason: `failover: ${from.evidence ?? from.lastError ?? 'unreachable'}`,
    changedAt: new Date(),
    changedBy: core.actor,
  });
  core.fence = state; // in memory first: no write may go to the old node from now on
  const evidence = from.evidence ?? from.lastError ?? 'unreachable';
  console.warn(`[sipha] failover: ${from.handle.name} is down (${evidence}); writing to ${next.handle.name}`);
  await stopSemiSyncWait(next.handle).catch(() => undefined);
  await drainRelayLog(next.handle, 2).catch(() => undefined);
  await writeFenceState(next.handle, state).catch((e) => logError('could not persist fence state', e));
  await auditFailover(next.handle, { actor: core.actor, from: from.handle.name, evidence }).catch((e) =>
    logError('could not write the failover audit row', e),
  );
}

/**
 * Marks a pair as needing verification (a two-writer window); false when it already was. The
 * caller audits it.
 */
export function flagUnverified(
  core: ListCore,
  { nodes, reason }: { nodes: [string, string]; reason: string },
): boolean {
  const pair = [...nodes].sort() as [string, string];
  const key = pair.join('+');
  if (core.unverified.has(key)) return false;
  core.unverified.set(key, { nodes: pair, reason, since: new Date() });
  return true;
}

/** Operator action (audited by the caller): fences a node or lets it take writes again. */
export async function setFenced(
  core: ListCore,
  { name, fenced, reason, actor }: { name: string; fenced: boolean; reason: string; actor: string },
): Promise<string> {
  const state: FenceState = { epoch: core.fence.epoch + 1, nodes: new Map(core.fence.nodes) };
  state.nodes.set(name, { fenced, reason, changedAt: new Date(), changedBy: actor });
  const target = core.nodes.find(
    (n) => n.reachable !== false && !(state.nodes.get(n.handle.name)?.fenced ?? false),
  );
  if (!target) throw new AppError('unavailable:database', core.unavailableMessage());
  await writeFenceState(target.handle, state);
  core.fence = state;
  core.writer = core.active();
  // Unfencing ends a restore, which proved the node equal to the survivor: any pair with it that
  // awaited verification has had it.
  if (!fenced) for (const [k, u] of core.unverified) if (u.nodes.includes(name)) core.unverified.delete(k);
  if (!fenced && core.cfg.fenceReadOnly)
    await setReadOnly(core.node(name).handle, false).catch(() => undefined);
  return target.handle.name;
}

/** Reads the shared fence state (all reachable nodes, highest epoch wins) every few seconds. */
export async function refreshFence(core: ListCore, force: boolean): Promise<void> {
  if (!force && Date.now() - core.lastFenceRead < 2000) return;
  core.lastFenceRead = Date.now();
  const reachable = core.nodes.filter((n) => n.reachable);
  // Bounded like a probe: a node that hangs now must not hold up the next probe round.
  const bound = core.probeTimeoutMs();
  const states = await Promise.all(
    reachable.map((n) => withQueryTimeout(bound, () => readFenceState(n.handle)).catch(() => null)),
  );
  core.fence = newestFenceState([core.fence, ...states]);
}
