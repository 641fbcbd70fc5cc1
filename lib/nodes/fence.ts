import 'server-only';
import { connectionListOf, nodeCluster } from '@/lib/clusters/registry';
import { AppError } from '@/lib/errors';

/**
 * The operator's explicit override (restore is the normal way back): lets a fenced node take
 * writes again, or fences a node by hand (e.g. before maintenance). The node names its cluster;
 * a `cluster` given too must be that one. Returns the node that recorded the change.
 */
export async function setNodeFence(opts: {
  node: string;
  cluster?: string;
  fenced: boolean;
  reason: string;
  actor: string;
}): Promise<string> {
  const list = await connectionListOf(nodeCluster(opts));
  const n = list.node(opts.node);
  if (list.isFenced(opts.node) === opts.fenced)
    throw new AppError('conflict:state', `${opts.node} is already ${opts.fenced ? 'fenced' : 'not fenced'}.`);
  if (!opts.fenced && n.reachable === false)
    throw new AppError('conflict:state', `${opts.node} is unreachable; it cannot take writes.`);
  return list.setFenced(opts.node, opts.fenced, opts.reason, opts.actor);
}
