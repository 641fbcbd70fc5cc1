import 'server-only';
import { plain } from '../dialect';
import { quoteIdent } from '../dialect/quote';
import { type AdminConn, withAdmins } from './admin';
import { checksumTables } from './checksum';
import { runNodeConfigs, type WizardContext } from './context';
import { replicaStatus } from './directions';
import { StepFailure } from './failure';
import type { StepIO } from './io';
import { semiSyncSources } from './semisync';
import { type SemiSyncSource, semiSyncSummary } from './semisync-summary';
import type { RunState } from './types';

// Step 6: a probe row written on each node must appear on every other node (the delay is
// measured, not assumed); then CHECKSUM TABLE subscriber must agree everywhere. Probe rows go
// to sipha_wizard_probe (migration 004), never into Kamailio's tables. Last, each source's
// semi-sync status: reported (a warning when not lossless), not a failure, like its preflight check.

export interface ProbeResult {
  from: string;
  to: string;
  delayMs: number | null;
}

export interface VerifyResult {
  probes: ProbeResult[];
  checksums: Record<string, string | null>;
  ok: boolean;
  /** Per source: does a commit there wait for a semi-sync replica (lossless)? */
  semiSync: SemiSyncSource[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor({
  c,
  io,
  sql,
  params,
  timeoutMs,
}: {
  c: AdminConn;
  io: StepIO;
  sql: string;
  params: (string | number)[];
  timeoutMs: number;
}): Promise<number | null> {
  const t0 = performance.now();
  while (performance.now() - t0 < timeoutMs) {
    if ((await io.read(c, plain(sql, params), { quiet: true })).length)
      return Math.round(performance.now() - t0);
    await sleep(20);
  }
  return null;
}

export async function runVerifyStep({
  ctx,
  run,
  io,
  timeoutMs = 15_000,
}: {
  ctx: WizardContext;
  run: RunState;
  io: StepIO;
  timeoutMs?: number;
}): Promise<VerifyResult> {
  const nodes = runNodeConfigs(ctx, run);
  const db = quoteIdent(nodes[0]!.database);
  return withAdmins(ctx, nodes, async (conns) => {
    const probes: ProbeResult[] = [];
    for (const from of nodes) {
      const c = conns.get(from.name)!;
      const id = `${run.runId}:${from.name}:${Date.now()}`;
      await io.exec(
        c,
        plain(
          `INSERT INTO ${db}.sipha_wizard_probe (probe_id, run_id, origin, written_at) VALUES (?, ?, ?, NOW(6))`,
          [id, run.runId, from.name],
        ),
      );
      if (io.dryRun) continue;
      const written = performance.now();
      for (const to of nodes.filter((n) => n.name !== from.name)) {
        const waited = await waitFor({
          c: conns.get(to.name)!,
          io,
          sql: `SELECT 1 FROM ${db}.sipha_wizard_probe WHERE probe_id = ?`,
          params: [id],
          timeoutMs,
        });
        const delayMs = waited === null ? null : Math.round(performance.now() - written);
        probes.push({ from: from.name, to: to.name, delayMs });
        io.note(
          to.name,
          delayMs === null
            ? `probe from ${from.name} NOT seen after ${timeoutMs / 1000} s`
            : `probe from ${from.name} seen after ${delayMs} ms`,
        );
      }
    }
    const missing = probes.filter((p) => p.delayMs === null);
    if (missing.length) {
      const states = await Promise.all(
        nodes.map(
          async (n) =>
            `${n.name}: ${JSON.stringify(await replicaStatus({ c: conns.get(n.name)!, io }).then((s) => s && { io: s.ioRunning, sql: s.sqlRunning, error: s.lastIoError || s.lastSqlError }))}`,
        ),
      );
      throw new StepFailure(
        `Probe rows did not arrive: ${missing.map((m) => `${m.from} → ${m.to}`).join(', ')}. Replica state: ${states.join('; ')}`,
      );
    }
    // Rows written just before may still be on their way: a few tries before calling it a mismatch.
    let sums = await checksumTables({
      conns: [...conns.values()],
      io,
      database: nodes[0]!.database,
      tables: ['subscriber'],
    });
    for (let i = 0; i < 10 && !io.dryRun && !sums[0]?.equal; i++) {
      await sleep(500);
      sums = await checksumTables({
        conns: [...conns.values()],
        io,
        database: nodes[0]!.database,
        tables: ['subscriber'],
      });
    }
    const checksums = sums[0]?.values ?? {};
    if (!io.dryRun && !sums[0]?.equal)
      throw new StepFailure(
        `CHECKSUM TABLE subscriber differs: ${Object.entries(checksums)
          .map(([n, v]) => `${n} ${v}`)
          .join(', ')}. The nodes hold different users.`,
      );
    const semiSync = await semiSyncSources({ conns: [...conns.values()], io });
    if (!io.dryRun) for (const s of semiSync) io.note(s.node, semiSyncSummary([s]).text);
    return { probes, checksums, ok: true, semiSync };
  });
}
