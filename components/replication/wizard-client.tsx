'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { getJson } from '@/components/get-json';
import type { StepId } from '@/lib/wizard/types';
import { NodePicker } from './node-picker';
import { StepList } from './step-list';
import { StepPanel } from './step-panel';
import { Summary } from './summary';
import { TeardownForm } from './teardown-form';
import type { Action, PublicNode, WizardActions, WizardSnapshot } from './types';

// Polls the run every second (long steps run in the background on the server) and shows the
// step the run resumes at, unless the operator picked another one.

export function WizardClient({
  initial,
  nodes,
  actions: serverActions,
  cluster,
}: {
  initial: WizardSnapshot;
  nodes: PublicNode[];
  actions: WizardActions;
  /** The page's cluster, when more than one is configured: every form and poll names it. */
  cluster?: string;
}) {
  const actions = cluster ? withCluster(serverActions, cluster) : serverActions;
  const state = cluster ? `/replication/state?cluster=${encodeURIComponent(cluster)}` : '/replication/state';
  const q = useQuery({
    queryKey: ['wizard-state', cluster ?? ''],
    queryFn: ({ signal }) => getJson<WizardSnapshot>(state, signal),
    initialData: initial,
    refetchInterval: 1000,
  });
  const [picked, setPicked] = useState<StepId | null>(null);
  const [fresh, setFresh] = useState(false);
  const { run, busy } = q.data;
  if (!run || run.status === 'abandoned' || fresh)
    return (
      <NodePicker
        nodes={nodes}
        action={async (p, f) => {
          const r = await actions.create(p, f);
          if (r.status === 'saved') {
            setFresh(false);
            setPicked(null);
            await q.refetch();
          }
          return r;
        }}
      />
    );
  const step = picked ?? run.currentStep;
  const first = run.nodes[0]?.name ?? '';
  return (
    <div className="space-y-4">
      {run.status === 'finished' && <Summary run={run} />}
      <div className="grid grid-cols-[14rem_1fr] gap-6">
        <aside className="space-y-4">
          <StepList run={run} selected={step} onSelect={setPicked} />
          <p className="text-xs text-slate-500">
            Run {run.runId.slice(0, 8)} by {run.createdBy}; nodes {run.nodes.map((n) => n.name).join(', ')}.
          </p>
          <button type="button" onClick={() => setFresh(true)} className="text-xs text-slate-600 underline">
            Start a new run
          </button>
        </aside>
        <div className="space-y-4">
          <StepPanel
            key={`${run.runId}-${step}`}
            run={run}
            step={step}
            actions={actions}
            busy={busy}
            cluster={cluster}
          />
          {['directions', 'verify', 'harden'].includes(step) && (
            <TeardownForm
              runId={run.runId}
              action={actions.teardown}
              firstNode={first}
              nodes={run.nodes.map((n) => n.name)}
            />
          )}
        </div>
      </div>
      {q.isError && <p className="text-sm text-red-700">Lost contact with the console; retrying.</p>}
    </div>
  );
}

/** Every wizard form posts the page's cluster with it. */
function withCluster(actions: WizardActions, cluster: string): WizardActions {
  const wrap =
    (action: Action): Action =>
    (prev, form) => {
      form.set('cluster', cluster);
      return action(prev, form);
    };
  return {
    create: wrap(actions.create),
    start: wrap(actions.start),
    apply: wrap(actions.apply),
    teardown: wrap(actions.teardown),
  };
}
