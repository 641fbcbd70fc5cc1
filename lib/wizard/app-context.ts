import 'server-only';
import { audit } from '@/lib/audit/log';
import { chosenCluster, clusterNamed, connectionListOf } from '@/lib/clusters/registry';
import { tableStore } from '@/lib/jobs/store';
import type { WizardContext } from './context';
import { wizardStore } from './store';

// The wizard's context inside the console: one cluster's configured nodes (the home cluster's
// unless another is named; unknown: 404), state through that cluster's connection list (the
// active node, like every console write), the console's audit log.

export async function wizardContext({
  actor,
  cluster: asked,
}: {
  actor: string;
  cluster?: string;
}): Promise<WizardContext> {
  const cluster = chosenCluster(asked);
  const list = await connectionListOf(cluster);
  const store = wizardStore(tableStore(list));
  return {
    nodes: clusterNamed(cluster).nodes,
    store,
    actor,
    audit,
    onGlobalsChanged: (nodes) => list.recycleSessions(nodes),
    openSession: (node, use) => list.openSession(node, use),
  };
}
