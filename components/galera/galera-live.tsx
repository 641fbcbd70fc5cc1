'use client';

import type { ActionState } from '@/lib/action-state';
import type { GaleraHealth } from '@/lib/galera/health';
import { Section } from '../section';
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
      <Section id="g-topo" title="Cluster">
        <p className="mb-2 text-sm text-slate-600">
          Writes go to <strong>{data.writer ?? 'no node'}</strong>{' '}
          {data.formed
            ? `(the first node of the list that is Synced in the primary component; failback ${data.failback})`
            : '(a plain server: no node has formed or joined a cluster yet)'}
          . Certification conflicts retried {data.conflicts.retried}, reported {data.conflicts.reported}.
        </p>
        <GaleraTopology nodes={data.nodes} />
        {plans && data.failback === 'manual' && (
          <WriterControl
            candidates={data.nodes.filter((n) => n.writable && !n.writer).map((n) => n.name)}
            action={writerAction}
          />
        )}
      </Section>
      <Section id="g-problems" title="Problems">
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
      </Section>
      <Section id="g-nodes" title="Nodes">
        <GaleraNodes nodes={data.nodes} />
      </Section>
      {plans && (
        <Section id="g-ops" title="Operations">
          <GaleraOps
            nodes={data.nodes.map((n) => n.name)}
            plans={plans}
            action={action}
            busy={job?.outcome === 'running'}
            initialOp={data.formed ? 'recover' : 'bootstrap'}
          />
        </Section>
      )}
      {job && (
        <Section
          id="g-job"
          title={
            <>
              {job.kind}: {job.outcome}
            </>
          }
        >
          <ol
            aria-live="polite"
            className="space-y-0.5 rounded-lg bg-slate-900 p-3 font-mono text-xs text-slate-100"
          >
            {job.steps.map((s) => (
              <li
                key={s.seq}
                className={s.kind === 'error' ? 'text-red-300' : s.kind === 'done' ? 'text-emerald-300' : ''}
              >
                {s.at.slice(11, 19)} {s.kind.padEnd(8)} {s.text}
              </li>
            ))}
          </ol>
        </Section>
      )}
    </div>
  );
}
