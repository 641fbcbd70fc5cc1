import 'server-only';
import { withAdmins } from './admin';
import { runNodeConfigs, type WizardContext } from './context';
import type { StepIO } from './io';
import type { RunState } from './types';

// Tear-down for a clean retry: stop and forget replication on every node of the run. Data and
// accounts stay; the data step must run again (the nodes have drifted apart since).

export async function runTeardown({
  ctx,
  run,
  io,
}: {
  ctx: WizardContext;
  run: RunState;
  io: StepIO;
}): Promise<void> {
  await withAdmins(runNodeConfigs(ctx, run), async (conns) => {
    for (const c of conns.values()) {
      await io.exec(c, c.dialect.stopReplica());
      await io.exec(c, c.dialect.resetReplicaAll());
    }
  });
}
