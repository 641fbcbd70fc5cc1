'use client';

import type { ActionState } from '@/lib/action-state';
import type { GaleraHealth } from '@/lib/galera/health';
import { GaleraNodes } from './galera-nodes';
import { GaleraOps, type Op } from './galera-ops';
import { GaleraTopology } from './galera-topology';
import { useGalera } from './use-galera';
import { WriterControl } from './writer-control';

type Action = (prev: ActionState, form: FormData) => Promise<ActionState>;
type Plans = Record<Op, string[]> & { byNode: Record<string, Record<'join' | 'remove', string[]>> };

export function GaleraLive({
  initial,
  plans,
  action,
  writerAction,
}: {
  initial: GaleraHealth;
  plans: Plans | null;
  action: Action;
  writerAction: Action;
}) {
  const { data } = useGalera(initial);
  const job = data.job;
  return (
    <div className="space-y-8">
      <section aria-labelledby="g-topo">
        <h2 id="g-topo" className="mb-3 text-lg font-semibold">
          Cluster
        </h2>
        <p className="mb-2 text-sm text-slate-600">
          Writes go to <strong>{data.writer ?? 'no node'}</strong> (the first node of the list that is Synced
          in the primary component; failback {data.failback}). Certification conflicts retried{' '}
          {data.conflicts.retried}, reported {data.conflicts.reported}.
        </p>
        <GaleraTopology nodes={data.nodes} />
        {plans && data.failback === 'manual' && (
          <WriterControl
            candidates={data.nodes.filter((n) => n.writable && !n.writer).map((n) => n.name)}
            action={writerAction}
          />
        )}
      </section>
      <section aria-labelledby="g-problems">
        <h2 id="g-problems" className="mb-3 text-lg font-semibold">
          Problems
        </h2>
        {data.problems.length === 0 ? (
          <p className="text-sm text-emerald-700">None: every node is Synced in the primary component.</p>
        ) : (
          <ul className="space-y-2">
            {data.problems.map((p) => (
              <li
                key={`${p.node}-${p.code}`}
                className="rounded border border-amber-300 bg-amber-50 p-3 text-sm"
              >
                <p className="font-medium text-amber-900">{p.words}</p>
                <p className="text-slate-700">Fix: {p.fix}</p>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="g-nodes">
        <h2 id="g-nodes" className="mb-3 text-lg font-semibold">
          Nodes
        </h2>
        <GaleraNodes nodes={data.nodes} />
      </section>
      {plans && (
        <section aria-labelledby="g-ops">
          <h2 id="g-ops" className="mb-3 text-lg font-semibold">
            Operations
          </h2>
          <GaleraOps
            nodes={data.nodes.map((n) => n.name)}
            plans={plans}
            action={action}
            busy={job?.outcome === 'running'}
          />
        </section>
      )}
      {job && (
        <section aria-labelledby="g-job">
          <h2 id="g-job" className="mb-3 text-lg font-semibold">
            {job.kind}: {job.outcome}
          </h2>
          <ol
            aria-live="polite"
            className="space-y-0.5 rounded-lg bg-slate-900 p-3 font-mono text-xs text-slate-100"
          >
            {job.steps.map((s) => (
              <li
                key={s.seq}
                className={s.kind === 'error' ? 'text-red-300' : s.kind === 'done' ? 'text-emerald-300' : ''}
              >
                {s.at.slice(11, 19)} {s.kind.padEnd(7)} {s.text}
              </li>
            ))}
          </ol>
        </section>
      )}
    </div>
  );
}
