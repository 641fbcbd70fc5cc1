'use client';

import { useQuery } from '@tanstack/react-query';
import { useActionState, useState } from 'react';
import { getJson } from '@/components/get-json';
import type { ActionState } from '@/lib/action-state';
import type { RestoreOverview } from '@/lib/restore/overview';
import type { RunView } from '@/lib/restore/types';
import { candidateTitle, NodeState } from './node-state';
import { RepairPanel } from './repair-panel';
import { RunProgress } from './run-progress';

type Action = (prev: ActionState, fd: FormData) => Promise<ActionState>;
const idle: ActionState = { status: 'idle' };
const RECENT_MS = 30 * 60_000;

/** What Resume does with the chunks the interrupted run had compared. */
function resumeNote(r: RunView): string {
  const c = r.steps.find((s) => s.id === 'verify_chunks')?.checkpoint;
  const done = c?.tables.filter((t) => t.chunksDone > 0) ?? [];
  if (!c || !done.length) return '';
  const k = done.map((t) => `${t.table} ${t.chunksDone}`).join(', ');
  return ` Its verification had compared chunks equal (${k}): Resume goes on from there if the new snapshots prove that only ${r.survivor}'s transactions happened since, and compares from the start otherwise (the run says which).`;
}

export function RestorePanel({
  initial,
  start,
  resume,
  rollback,
  repair,
}: {
  initial: RestoreOverview;
  start: Action;
  resume: Action;
  rollback: Action;
  repair: { preview: Action; apply: Action };
}) {
  // With more than one cluster the page shows one (initial.cluster); a node names its own
  // cluster, a run id does not: the resume and rollback forms say which.
  const cluster = initial.cluster;
  const url = cluster ? `/api/restore?cluster=${encodeURIComponent(cluster)}` : '/api/restore';
  const { data } = useQuery({
    queryKey: ['restore', cluster ?? ''],
    queryFn: ({ signal }) => getJson<RestoreOverview>(url, signal),
    initialData: initial,
    refetchInterval: 1000,
  });
  const [state, startAction, pending] = useActionState(start, idle);
  const [rb, rollbackAction] = useActionState(rollback, idle);
  const [rs, resumeAction] = useActionState(resume, idle);
  const running = data.current?.status === 'running';
  const fenced = data.candidates.filter((c) => c.role === 'fenced').map((c) => c.node);
  // A run in progress or just finished is the news: it goes first; an old one goes last.
  const cur = data.current;
  const recent = !!cur && (cur.status === 'running' || Date.now() - (cur.finishedAt ?? 0) < RECENT_MS);
  const first = recent ? cur : null;
  const later = recent ? null : cur;
  return (
    <div className="space-y-6">
      <p
        data-testid="restore-status"
        className={`rounded border p-3 font-medium ${fenced.length ? 'border-amber-500 bg-amber-50 text-amber-900' : 'border-green-500 bg-green-50 text-green-900'}`}
      >
        {data.active ? `${data.active} takes the writes.` : 'No node can take writes.'}{' '}
        {fenced.length
          ? `Fenced (stale, restore needed): ${fenced.join(', ')}.`
          : 'Nothing is fenced: no restore is needed.'}
      </p>
      {data.interrupted.map((r) => (
        <section
          key={r.runId}
          role="alert"
          className="space-y-2 rounded border border-amber-500 bg-amber-50 p-4 text-sm"
        >
          <p>
            A {r.kind} of {r.target} was interrupted by a console restart during “{r.phase}”. {r.survivor} is
            not locked: the lock died with the old console process. Resume it or roll it back before starting
            another.
            {resumeNote(r)}
          </p>
          <div className="flex gap-2">
            <form action={resumeAction}>
              <input type="hidden" name="runId" value={r.runId} />
              {cluster && <input type="hidden" name="cluster" value={cluster} />}
              <button type="submit" className="rounded bg-slate-800 px-3 py-1 text-white">
                Resume
              </button>
            </form>
            <form action={rollbackAction}>
              <input type="hidden" name="runId" value={r.runId} />
              {cluster && <input type="hidden" name="cluster" value={cluster} />}
              <button type="submit" className="rounded border border-slate-800 px-3 py-1">
                Roll back
              </button>
            </form>
          </div>
          <p aria-live="polite">
            {[rb, rs].map((s) => (s.status === 'saved' || s.status === 'failed' ? s.message : '')).join(' ')}
          </p>
        </section>
      ))}
      <p
        aria-live="polite"
        className={
          state.status === 'failed' || state.status === 'invalid' ? 'text-red-700' : 'text-slate-700'
        }
      >
        {state.status === 'saved'
          ? state.message
          : state.status === 'failed'
            ? state.message
            : state.status === 'invalid'
              ? (state.message ?? Object.values(state.fieldErrors).flat().join(' '))
              : ''}
      </p>
      {first && <RunProgress run={first} />}
      {data.candidates.length === 0 && (
        <p className="text-sm">Every node is active or standby with nothing to restore.</p>
      )}
      {data.candidates.map((c) => (
        <Candidate
          key={c.node}
          c={c}
          disabled={running || pending || data.interrupted.length > 0}
          action={startAction}
          leaseSeconds={Math.round(data.leaseMs / 1000)}
          active={data.active}
          shownRunId={cur?.runId ?? null}
          planOpen={c.role === 'fenced'}
          repair={repair}
        />
      ))}
      {later && (
        <div className="space-y-2">
          <h2 className="text-sm font-medium text-slate-600">Last run</h2>
          <RunProgress run={later} />
        </div>
      )}
    </div>
  );
}

function Candidate({
  c,
  disabled,
  action,
  leaseSeconds,
  active,
  shownRunId,
  planOpen,
  repair,
}: {
  repair: { preview: Action; apply: Action };
  c: RestoreOverview['candidates'][number];
  disabled: boolean;
  action: (fd: FormData) => void;
  leaseSeconds: number;
  active: string | null;
  shownRunId: string | null;
  planOpen: boolean;
}) {
  const [showPlan, setShowPlan] = useState(planOpen);
  const plan = c.plan;
  const needsPassword = plan?.steps.some(
    (s) => s.id === 'replicate' && s.statements.some((x) => x.startsWith('CHANGE')),
  );
  const id = `cand-${c.node}`;
  return (
    <section aria-labelledby={id} className="space-y-3 rounded border border-slate-200 p-4">
      <h2 id={id} className="text-lg font-semibold">
        {candidateTitle(c)}
      </h2>
      <NodeState c={c} active={active} shownRunId={shownRunId} />
      {c.problem && <p className="text-sm text-red-700">Cannot start: {c.problem}</p>}
      {c.role === 'fenced' && (c.failedCheck || c.repair) && (
        <RepairPanel node={c.node} repair={c.repair} preview={repair.preview} apply={repair.apply} />
      )}
      {plan && (
        <>
          <button
            type="button"
            className="text-sm text-blue-700 underline"
            onClick={() => setShowPlan((x) => !x)}
            aria-expanded={showPlan}
          >
            {showPlan ? 'Hide' : 'Show'} what the {c.kind === 'restore' ? 'restore' : 'switchover'} will do (
            {plan.steps.length} steps)
          </button>
          {showPlan && (
            <ol className="list-decimal space-y-1 pl-5 text-sm">
              {plan.steps.map((s) => (
                <li key={s.id}>
                  <span className="font-medium">{s.title}</span>: {s.plan}
                  {s.statements.map((x) => (
                    <code key={x} className="block text-xs text-slate-600">
                      {x}
                    </code>
                  ))}
                </li>
              ))}
            </ol>
          )}
          <form action={action} className="flex flex-wrap items-end gap-4 text-sm">
            <input type="hidden" name="target" value={c.node} />
            <input type="hidden" name="kind" value={c.kind} />
            <fieldset className="flex gap-3">
              <legend className="mb-1">Procedure</legend>
              <label>
                <input type="radio" name="procedure" value="sipha" defaultChecked /> sipha (catch up first,
                short lock)
              </label>
              <label>
                <input type="radio" name="procedure" value="paper" /> paper (lock first)
              </label>
            </fieldset>
            <label className="flex flex-col">
              Lease (s)
              <input
                name="leaseSeconds"
                type="number"
                min={1}
                max={300}
                defaultValue={leaseSeconds}
                className="w-20 rounded border px-2 py-1"
              />
            </label>
            {needsPassword && (
              <>
                <label className="flex flex-col">
                  Replication user
                  <input name="replUser" autoComplete="off" className="rounded border px-2 py-1" />
                </label>
                <label className="flex flex-col">
                  Replication password (used once, never stored)
                  <input
                    name="replPassword"
                    type="password"
                    autoComplete="off"
                    className="rounded border px-2 py-1"
                  />
                </label>
              </>
            )}
            <button
              type="submit"
              disabled={disabled}
              className="rounded bg-blue-700 px-4 py-2 text-white disabled:opacity-50"
            >
              {c.kind === 'restore' ? `Restore ${c.node}` : `Switch over to ${c.node}`}
            </button>
          </form>
        </>
      )}
    </section>
  );
}
