import { readFileSync } from 'node:fs';
import { adminQuery, type LabState } from '../../lab/index';
import type { AuditEntry } from '../../lib/audit/log';
import { parseConfig } from '../../lib/config/load';
import { ConnectionList } from '../../lib/db/connection-list';
import { migrateToLatest } from '../../lib/db/migrate';
import { tableStore } from '../../lib/jobs/store';
import type { WizardContext } from '../../lib/wizard/context';
import { createRun } from '../../lib/wizard/operations';
import { startStep } from '../../lib/wizard/runner';
import { wizardStore } from '../../lib/wizard/store';
import type { RunState, StepId, StepResults } from '../../lib/wizard/types';

// A wizard context over a lab, as the console builds it: configured nodes, state through a
// connection list on the first node, audit rows collected in memory for assertions.

export interface WizardHarness {
  ctx: WizardContext;
  list: ConnectionList;
  audits: AuditEntry[];
  close(): Promise<void>;
}

export async function wizardHarness({
  state,
  configOverride,
}: {
  state: LabState;
  configOverride?: (raw: Record<string, unknown>) => void;
}): Promise<WizardHarness> {
  const raw = JSON.parse(readFileSync(state.configPath, 'utf8')) as Record<string, unknown>;
  configOverride?.(raw);
  const config = parseConfig(raw);
  const list = new ConnectionList(config, 'test');
  await list.ready();
  await list.write({ run: (db) => migrateToLatest(db as never) });
  const audits: AuditEntry[] = [];
  const ctx: WizardContext = {
    nodes: config.nodes,
    store: wizardStore(tableStore(list)),
    actor: 'admin:test',
    audit: async (e) => {
      audits.push(e);
    },
    openSession: (node, use) => list.openSession(node, use),
  };
  return { ctx, list, audits, close: () => list.close() };
}

export async function newRun({ h, names }: { h: WizardHarness; names: string[] }) {
  const nodes = names.map((name) => {
    const n = h.ctx.nodes.find((x) => x.name === name)!;
    return { name, replicationHost: n.host, replicationPort: n.port };
  });
  return createRun({ ctx: h.ctx, nodes });
}

/** Runs one step to its end; the state it ends in, with the result the step stored. */
export async function step<K extends StepId>({
  h,
  runId,
  id,
  mode,
}: {
  h: WizardHarness;
  runId: string;
  id: K;
  mode?: 'copy' | 'operator' | 'identical';
}): Promise<RunState['steps'][K] & { result: StepResults[K] }> {
  const run = await startStep({ ctx: h.ctx, runId, step: id, input: mode ? { mode } : {}, wait: true });
  return run.steps[id] as RunState['steps'][K] & { result: StepResults[K] };
}

/**
 * What the console's heartbeat does on every node: upsert that node's own row in
 * sipha_heartbeat, locally, all the time, also while the wizard copies data onto the node.
 * Before the copy has created the table there is nothing to write to (errors 1049/1146).
 */
export function localWriter({ dir, node }: { dir: string; node: string }): { stop: () => Promise<number> } {
  let running = true;
  let writes = 0;
  const loop = (async () => {
    for (let seq = 1; running; seq++) {
      try {
        await adminQuery(
          dir,
          node,
          'INSERT INTO kamailio.sipha_heartbeat (node, beat_at, seq) VALUES (?, UTC_TIMESTAMP(6), ?) ON DUPLICATE KEY UPDATE beat_at = VALUES(beat_at), seq = VALUES(seq)',
          [node, seq],
        );
        writes++;
      } catch (err) {
        if (![1049, 1146].includes((err as { errno?: number }).errno ?? 0)) throw err;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return writes;
    },
  };
}
