import 'server-only';
import { generatePassword } from '@/lib/generate-password';
import { plain } from '../dialect';
import { type AdminConn, withAdmins } from './admin';
import { choiceOf, links, runNodeConfigs, type StepArgs } from './context';
import type { StepIO } from './io';
import { requirePreflight } from './preflight';
import { REPLICATION_USER, rememberPassword } from './secrets';

// Step 3: on every source, an account with REPLICATION SLAVE only, limited to its replica's
// address, with a fresh random password. Written with sql_log_bin=0: accounts are per node and
// must not replicate (an ALTER USER arriving from the peer would change this node's password).

export interface AccountInfo {
  source: string;
  replica: string;
  account: string;
}

export async function setReplicationPassword({
  io,
  c,
  runId,
  source,
  replica,
  host,
}: {
  io: StepIO;
  c: AdminConn;
  runId: string;
  source: string;
  replica: string;
  host: string;
}): Promise<string> {
  const password = generatePassword(43); // ~247 bits, as strong as the 32 random bytes it replaced
  await io.exec(c, plain('SET SESSION sql_log_bin = 0'));
  try {
    for (const s of c.dialect.createReplicationUser({ user: REPLICATION_USER, host, password }))
      await io.exec(c, s);
  } finally {
    await io.exec(c, plain('SET SESSION sql_log_bin = 1'));
  }
  if (!io.dryRun) rememberPassword({ runId, source, replica, password });
  return password;
}

export async function runUserStep({ ctx, run, io }: StepArgs): Promise<{ accounts: AccountInfo[] }> {
  await requirePreflight({ ctx, run, io });
  const nodes = runNodeConfigs(ctx, run);
  return withAdmins(ctx, nodes, async (conns) => {
    const accounts: AccountInfo[] = [];
    for (const l of links(run.nodes.map((n) => n.name))) {
      const host = choiceOf(run, l.replica).replicationHost;
      await setReplicationPassword({
        io,
        c: conns.get(l.source)!,
        runId: run.runId,
        source: l.source,
        replica: l.replica,
        host,
      });
      accounts.push({ source: l.source, replica: l.replica, account: `'${REPLICATION_USER}'@'${host}'` });
    }
    return { accounts };
  });
}
