import 'server-only';
import { AppError } from '@/lib/errors';
import { openAdmin } from './admin';
import { runNodeConfigs, type StepArgs } from './context';

// Step 1: connect to every chosen node with the configured account; flavour and version.

export interface NodeInfo {
  name: string;
  host: string;
  port: number;
  replicationHost: string;
  replicationPort: number;
  ok: boolean;
  version?: string;
  flavor?: string;
  error?: string;
}

export async function runNodesStep({
  ctx,
  run,
  io,
}: StepArgs): Promise<{ nodes: NodeInfo[]; topology: 'pair' | 'ring' }> {
  if (run.nodes.length < 2) throw new AppError('bad_request:input', 'Pick at least two nodes.');
  const out: NodeInfo[] = [];
  for (const [i, n] of runNodeConfigs(ctx, run).entries()) {
    const choice = run.nodes[i]!;
    const base = {
      name: n.name,
      host: n.host,
      port: n.port,
      replicationHost: choice.replicationHost,
      replicationPort: choice.replicationPort,
    };
    try {
      const c = await openAdmin({ ctx, node: n });
      try {
        io.note(n.name, `connected as ${n.user}: ${c.versionText}`);
        out.push({ ...base, ok: true, version: c.versionText, flavor: c.version.flavor });
      } finally {
        await c.conn.close();
      }
    } catch (err) {
      out.push({ ...base, ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  }
  const failed = out.filter((n) => !n.ok);
  if (failed.length) throw new AppError('unavailable:database', failed.map((n) => n.error).join(' '));
  return { nodes: out, topology: out.length === 2 ? 'pair' : 'ring' };
}
