// Which node a fully stopped cluster must be bootstrapped from (pure, unit-tested): the most
// advanced one by grastate.dat, or by `--wsrep-recover` when grastate.dat says seqno -1 (the
// node crashed). Refuses when the evidence is ambiguous instead of guessing: a wrong choice
// throws away committed transactions.

export interface GraState {
  uuid: string;
  seqno: number;
  safeToBootstrap: boolean;
}

export interface Evidence {
  node: string;
  grastate: GraState | null;
  /** From `mariadbd --wsrep-recover`: "WSREP: Recovered position: uuid:seqno". */
  recovered: { uuid: string; seqno: number } | null;
  error?: string;
}

export type RecoveryDecision =
  | { ok: true; node: string; uuid: string; seqno: number; markSafe: boolean; why: string }
  | { ok: false; reason: string };

export function parseGrastate(text: string): GraState | null {
  const uuid = /^uuid:\s*(\S+)/m.exec(text)?.[1];
  const seqno = /^seqno:\s*(-?\d+)/m.exec(text)?.[1];
  if (!uuid || seqno === undefined) return null;
  return { uuid, seqno: Number(seqno), safeToBootstrap: /^safe_to_bootstrap:\s*1/m.test(text) };
}

export function parseRecovered(text: string): { uuid: string; seqno: number } | null {
  const m = [...text.matchAll(/Recovered position:?\s+([0-9a-f-]{36}):(-?\d+)/g)].at(-1);
  return m ? { uuid: m[1]!, seqno: Number(m[2]) } : null;
}

const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

/** The position a node can prove: grastate.dat when it was shut down cleanly, else recovery. */
export function positionOf(e: Evidence): { uuid: string; seqno: number } | null {
  if (e.grastate && e.grastate.seqno >= 0) return e.grastate;
  if (e.recovered && e.recovered.seqno >= 0) return e.recovered;
  return null;
}

export function decideBootstrap(evidence: Evidence[]): RecoveryDecision {
  if (evidence.length === 0) return { ok: false, reason: 'No Galera nodes are configured.' };
  const positions = evidence.map((e) => ({ e, pos: positionOf(e) }));
  const unknown = positions.filter((p) => !p.pos || p.pos.uuid === ZERO_UUID);
  if (unknown.length > 0)
    return {
      ok: false,
      reason: `The position of ${unknown.map((p) => p.e.node).join(', ')} is unknown (${unknown.map((p) => p.e.error ?? 'no grastate.dat seqno and no recovered position').join('; ')}): bootstrapping another node could discard its transactions.`,
    };
  const uuids = new Set(positions.map((p) => p.pos!.uuid));
  if (uuids.size > 1)
    return {
      ok: false,
      reason: `The nodes belong to different cluster histories (${[...uuids].join(', ')}); decide by hand which data to keep.`,
    };
  const top = Math.max(...positions.map((p) => p.pos!.seqno));
  const best = positions.filter((p) => p.pos!.seqno === top);
  const safe = evidence.filter((e) => e.grastate?.safeToBootstrap);
  const staleSafe = safe.filter((e) => !best.some((b) => b.e.node === e.node));
  if (staleSafe.length > 0)
    return {
      ok: false,
      reason: `${staleSafe.map((e) => e.node).join(', ')} is marked safe_to_bootstrap but is behind seqno ${top}: the evidence contradicts itself.`,
    };
  const chosen = best.find((b) => b.e.grastate?.safeToBootstrap) ?? best[0]!;
  const markSafe = !chosen.e.grastate?.safeToBootstrap;
  const why =
    best.length > 1
      ? `${best.map((b) => b.e.node).join(', ')} are equally advanced (seqno ${top}); ${chosen.e.node} is first in the list`
      : `${chosen.e.node} is the most advanced (seqno ${top})`;
  return { ok: true, node: chosen.e.node, uuid: chosen.pos!.uuid, seqno: top, markSafe, why };
}
