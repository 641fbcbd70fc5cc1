import 'server-only';
import { withAdmins } from './admin';
import { runNodeConfigs, type StepArgs } from './context';

// Tear-down for a clean retry: stop and forget replication on every node of the run. Data and
// accounts stay; the data step must run again (the nodes have drifted apart since).

export async function runTeardown({ ctx, run, io }: StepArgs): Promise<void> {
  await withAdmins(ctx, runNodeConfigs(ctx, run), async (conns) => {
    for (const c of conns.values()) {
      await io.exec(c, c.dialect.stopReplica());
      await io.exec(c, c.dialect.resetReplicaAll());
    }
  });
}
