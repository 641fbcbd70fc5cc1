import 'server-only';
import { getConfig } from '@/lib/config/load';
import { disableDbConnection, enableDbConnection, listDbConnections } from '@/lib/sip/dbcl';
import type { JobLog } from './job';

// A planned stop of a Galera node without failed REGISTERs: before the node stops, every SIP
// server's db_cluster is told to leave it (dbcl.disable_connection), so no Kamailio statement
// meets the shutdown, the node's 1047 while it rejoins, or db_cluster's 30 s skip after a
// failure; once the node is Synced again they use it again. Without this a SIP server learns of
// the stop from failed queries, and REGISTERs in flight then fail.

/**
 * How long a node stays out of a SIP server's list if the console stops mid-operation: long
 * enough for a restart with SST, and below CONSOLE_DISABLED_ABOVE_S, so the console's SIP-server
 * monitor takes it for db_cluster's own and does not enable it again while the node rejoins.
 */
export const HOLD_SECONDS = 900;

/** Lets the statements a SIP server already sent to the node finish before it stops. */
const DRAIN_MS = 500;

export async function holdSipServers(node: string, log: JobLog): Promise<string[]> {
  const cfg = getConfig();
  const cluster = cfg.dbCluster?.cluster;
  if (!cluster) return [];
  const held: string[] = [];
  for (const s of cfg.sipServers) {
    if (!s.rpcUrl) continue;
    log('command', `${s.name}: dbcl.disable_connection ${cluster} ${node} ${HOLD_SECONDS}`);
    try {
      await disableDbConnection({ url: s.rpcUrl, cluster, node, seconds: HOLD_SECONDS });
      const conns = await listDbConnections({ url: s.rpcUrl, cluster });
      if (conns.find((c) => c.node === node)?.state !== 'disabled')
        throw new Error(`${node} is still active in its list`);
      held.push(s.name);
    } catch (e) {
      // A SIP server that does not answer cannot be told; its db_cluster still fails over on
      // its own when the node stops, as it would for a crash.
      log('error', `${s.name}: could not take ${node} out of its database list (${(e as Error).message})`);
    }
  }
  if (held.length > 0) await new Promise((r) => setTimeout(r, DRAIN_MS));
  return held;
}

export async function releaseSipServers(node: string, held: string[], log: JobLog): Promise<void> {
  const cfg = getConfig();
  const cluster = cfg.dbCluster?.cluster;
  if (!cluster) return;
  for (const s of cfg.sipServers.filter((x) => held.includes(x.name) && x.rpcUrl)) {
    log('command', `${s.name}: dbcl.enable_connection ${cluster} ${node}`);
    try {
      await enableDbConnection({ url: s.rpcUrl!, cluster, node });
    } catch (e) {
      log(
        'error',
        `${s.name}: could not give ${node} back to its database list (${(e as Error).message}); it uses ${node} again after ${HOLD_SECONDS} s`,
      );
    }
  }
}
