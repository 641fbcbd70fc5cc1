import 'server-only';
import { audit } from '@/lib/audit/log';
import { getConfig } from '@/lib/config/load';
import { getConnectionList } from '@/lib/db';
import { tableStore } from '@/lib/jobs/store';
import type { WizardContext } from './context';
import { wizardStore } from './store';

// The wizard's context inside the console: configured nodes, state through the connection list
// (the active node, like every console write), the console's audit log.

export async function wizardContext({ actor }: { actor: string }): Promise<WizardContext> {
  const list = await getConnectionList();
  const store = wizardStore(tableStore(list));
  return {
    nodes: getConfig().nodes,
    store,
    actor,
    audit,
    onGlobalsChanged: (nodes) => list.recycleSessions(nodes),
    openSession: (node, use) => list.openSession(node, use),
  };
}
