import 'server-only';
import { every } from '@/lib/every';
import type { GaleraWriter } from '@/lib/galera/writer';
import { Prober } from './detector/prober';
import type { Verdict } from './detector/types';
import { refreshFence, settle } from './failover';
import type { ListCore } from './list-core';
import { setReadOnly } from './promote';
import { type NodeRuntime, recordUp } from './runtime';
import { withQueryTimeout } from './send-guard';

// How the connection list learns what each node is: the failure detector's verdicts (worker
// thread, ./detector/) applied to the nodes, the fence state and any failover they imply, and in
// Galera mode each node's wsrep state, sampled on the probe interval.

/** First probe round, fence state and writer; then verdicts as they change. */
export async function startProber(core: ListCore): Promise<void> {
  core.prober ??= new Prober(
    core.nodes.map((n) => n.handle.config),
    {
      intervalMs: core.cfg.probeIntervalMs,
      timeoutMs: core.probeTimeoutMs(),
      silenceMs: core.cfg.silenceMs,
      sipServers: core.sipViews,
    },
  );
  await core.prober.firstRound();
  applyVerdicts(core);
  await probeAll(core, true);
  // Verdicts apply at once (a node found down stops holding statements right away); the fence
  // state and any failover follow in probeAll, which may wait on a slow node.
  core.prober.onChange(() => {
    applyVerdicts(core);
    void probeAll(core, false);
  });
  if (core.galera && !core.stopGalera) {
    // The first writer is known before the first statement; then one round per probe interval.
    await sampleGalera(core, core.galera);
    const g = core.galera;
    core.stopGalera = every(core.cfg.probeIntervalMs, () => sampleGalera(core, g));
  }
}

/** Galera's writer choice follows wsrep state, which the reachability prober does not read. */
async function sampleGalera(core: ListCore, g: GaleraWriter): Promise<void> {
  await Promise.all(core.nodes.map((n) => g.sample(n.handle.config, core.probeTimeoutMs())));
  await probeAll(core, false);
}

/** The fence state, and any failover the detector's verdicts imply. */
async function probeAll(core: ListCore, first: boolean): Promise<void> {
  if (core.probing) {
    core.probeAgain = true;
    return;
  }
  core.probing = true;
  try {
    do {
      core.probeAgain = false;
      await refreshFence(core, first);
      // At start the writer is the preferred node: starting while it is down is a failover
      // too, since the node below will take writes it misses.
      if (first) core.writer = core.nodes.find((n) => !core.isFenced(n.handle.name));
      await settle(core);
    } while (core.probeAgain && !first);
  } finally {
    core.probing = false;
  }
}

function applyVerdicts(core: ListCore): void {
  for (const v of core.prober?.verdicts.values() ?? []) applyVerdict(core, core.node(v.name), v);
}

function applyVerdict(core: ListCore, n: NodeRuntime, v: Verdict): void {
  const o = core.prober?.snapshot?.nodes.find((x) => x.name === v.name);
  n.checkedAt = new Date();
  if (v.state === 'down') {
    const fresh = n.reachable !== false;
    const code = v.code ?? 'SIPHA_PROBE_TIMEOUT';
    core.markDown(n, { code, errno: v.errno }, v.words, code === 'SIPHA_PROBE_TIMEOUT');
    if (fresh) console.warn(`[sipha] ${n.handle.name} is down: ${v.words}`);
    return;
  }
  if (v.state === 'cut-off') {
    if (!n.cutOff) console.warn(`[sipha] ${n.handle.name}: ${v.words}`);
    n.cutOff = v.words;
    return;
  }
  if (v.state !== 'up' || !o?.ok) return; // suspect: keep what is known until evidence is in
  recordUp(n, { ok: true, ...o.ok });
  n.handle.setDown(false);
  // A fenced node that answers again must not take writes from SIP servers either.
  const name = n.handle.name;
  if (core.cfg.fenceReadOnly && core.isFenced(name) && o.ok.readOnly === false && !core.fencing.has(name)) {
    core.fencing.add(name);
    void withQueryTimeout(core.probeTimeoutMs(), () => setReadOnly(n.handle, true))
      .then(() => {
        n.readOnly = true;
      })
      .catch(() => undefined)
      .finally(() => core.fencing.delete(name));
  }
}
