import 'server-only';
import { kamailioRpc } from './jsonrpc';

// Kamailio's db_cluster over JSON-RPC. list_connections also returns each connection's
// database URL, password included: it is dropped here and never leaves this module.

export interface DbConnection {
  /** The connection id, which the lab and the docs make the node's name. */
  node: string;
  /** 'disabled' covers both db_cluster's own "inactive after a failure" and a disable by RPC. */
  state: 'active' | 'disabled';
  /** Seconds until db_cluster tries a disabled connection again (0 when active). */
  secondsLeft: number;
}

interface RawConnection {
  connection?: unknown;
  state?: unknown;
  ticks?: unknown;
}

export function mapConnections(raw: unknown): DbConnection[] {
  const rows = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return rows
    .filter((r): r is RawConnection => !!r && typeof r === 'object')
    .filter((r) => typeof r.connection === 'string')
    .map((r) => ({
      node: r.connection as string,
      state: r.state === 'active' ? 'active' : 'disabled',
      secondsLeft: typeof r.ticks === 'number' && r.ticks > 0 ? r.ticks : 0,
    }));
}

export async function listDbConnections(opts: {
  url: string;
  cluster: string;
  timeoutMs?: number;
}): Promise<DbConnection[]> {
  const raw = await kamailioRpc({
    url: opts.url,
    method: 'dbcl.list_connections',
    params: [opts.cluster],
    timeoutMs: opts.timeoutMs ?? 1000,
  });
  return mapConnections(raw);
}

/** Takes `node` out of the server's list for `seconds` (db_cluster refuses the last active one). */
export async function disableDbConnection(opts: {
  url: string;
  cluster: string;
  node: string;
  seconds: number;
}): Promise<void> {
  await kamailioRpc({
    url: opts.url,
    method: 'dbcl.disable_connection',
    params: [opts.cluster, opts.node, opts.seconds],
  });
}

export async function enableDbConnection(opts: {
  url: string;
  cluster: string;
  node: string;
}): Promise<void> {
  await kamailioRpc({ url: opts.url, method: 'dbcl.enable_connection', params: [opts.cluster, opts.node] });
}
