import 'server-only';
import { plain, quoteString } from '../dialect';
import { withAdmins } from './admin';
import { runNodeConfigs, type StepArgs } from './context';

// Step 7 (the paper's last step): remove anonymous accounts on every node. Per node and with
// sql_log_bin=0: account tables differ between nodes, and a DROP USER replicated to a node
// without that account would stop its replication (error 1396).

export async function runHardenStep({ ctx, run, io }: StepArgs): Promise<{ removed: string[] }> {
  return withAdmins(ctx, runNodeConfigs(ctx, run), async (conns) => {
    const removed: string[] = [];
    for (const c of conns.values()) {
      const anon = await io.read(c, "SELECT Host AS host FROM mysql.user WHERE User = ''");
      if (anon.length === 0) {
        io.note(c.name, 'no anonymous accounts');
        continue;
      }
      await io.exec(c, plain('SET SESSION sql_log_bin = 0'));
      for (const a of anon) {
        await io.exec(c, plain(`DROP USER IF EXISTS ''@${quoteString(String(a.host))}`));
        removed.push(`${c.name}: ''@'${a.host}'`);
      }
      await io.exec(c, plain('SET SESSION sql_log_bin = 1'));
    }
    return { removed };
  });
}
