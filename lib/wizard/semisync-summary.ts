// How the wizard reports lossless semi-sync (verify step, summary page). Pure: the client
// components and the tests use the same words.

export interface SemiSyncSource {
  node: string;
  /** The source's semi-sync status: ON means commits wait for a replica's acknowledgement. */
  status: boolean;
  /** Replicas connected as semi-sync. */
  clients: number;
  yesTx: number;
  noTx: number;
  ok: boolean;
}

export function semiSyncSummary(sources: SemiSyncSource[] | undefined): { ok: boolean; text: string } {
  if (!sources?.length)
    return { ok: false, text: 'Lossless semi-sync: not checked (run Verify end to end again).' };
  const bad = sources.filter((s) => !s.ok);
  if (bad.length === 0)
    return {
      ok: true,
      text: `Lossless semi-sync: on (${sources.map((s) => `${s.node}: ${s.clients} acknowledging replica${s.clients === 1 ? '' : 's'}`).join(', ')}); a commit returns only once a peer has it.`,
    };
  return {
    ok: false,
    text: `Warning: lossless semi-sync is not active on ${bad
      .map((s) => `${s.node} (${s.status ? 'on' : 'off'}, ${s.clients} acknowledging replicas)`)
      .join(
        ', ',
      )}. Replication there is asynchronous: a write the console acknowledged can be lost if that node fails before its peer received it. Apply "Semi-synchronous replication (lossless)" in Preflight (in a new wizard run once this one is finished), then run Both directions and Verify again.`,
  };
}
