'use client';

import { useActionState, useState } from 'react';
import { type ActionState, idle } from '@/lib/action-state';

type Action = (prev: ActionState, form: FormData) => Promise<ActionState>;

const LABELS = {
  bootstrap: 'Bootstrap a new cluster',
  recover: 'Recover from a full outage',
  'rolling-restart': 'Rolling restart',
  join: 'Join (start) a node',
  remove: 'Remove a node',
} as const;
export type Op = keyof typeof LABELS;

/** Pick an operation, read exactly what it will run, confirm, start. */
export function GaleraOps({
  nodes,
  plans,
  action,
  busy,
  initialOp,
}: {
  nodes: string[];
  plans: Record<Op, string[]> & { byNode: Record<string, Record<'join' | 'remove', string[]>> };
  action: Action;
  busy: boolean;
  initialOp: Op;
}) {
  const [op, setOp] = useState<Op>(initialOp);
  const [node, setNode] = useState(nodes[0] ?? '');
  const [state, submit, pending] = useActionState(action, idle);
  const errors = state.status === 'invalid' ? state.fieldErrors : {};
  const perNode = op === 'join' || op === 'remove';
  const plan = perNode ? (plans.byNode[node]?.[op] ?? []) : plans[op];
  return (
    <form action={submit} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 text-sm">
      {/* The choice travels in hidden fields: React resets a form after its action runs, and a
          native reset puts a select back on its first option while the page still shows the
          chosen one, so the next submit would start another operation than the one shown. */}
      <input type="hidden" name="op" value={op} />
      {perNode && <input type="hidden" name="node" value={node} />}
      <div className="flex flex-wrap items-end gap-4">
        <label className="block">
          Operation
          <select
            value={op}
            onChange={(e) => setOp(e.target.value as Op)}
            className="mt-1 block rounded border border-slate-300 px-2 py-1"
          >
            {Object.entries(LABELS).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </label>
        {perNode && (
          <label className="block">
            Node
            <select
              value={node}
              onChange={(e) => setNode(e.target.value)}
              className="mt-1 block rounded border border-slate-300 px-2 py-1"
            >
              {nodes.map((n) => (
                <option key={n}>{n}</option>
              ))}
            </select>
          </label>
        )}
      </div>
      <div>
        <p className="font-medium">It will run, in this order:</p>
        <ol className="mt-1 list-decimal space-y-0.5 pl-6 font-mono text-xs text-slate-700">
          {plan.map((l) => (
            <li key={l}>{l}</li>
          ))}
        </ol>
      </div>
      <label className="flex items-center gap-2">
        <input type="checkbox" name="confirm" value="yes" /> I have read the steps
      </label>
      <p className="text-red-700">{[...(errors.confirm ?? []), ...(errors.node ?? [])].join(' ')}</p>
      <button
        type="submit"
        disabled={pending || busy}
        className="rounded bg-slate-900 px-3 py-1 text-white disabled:opacity-60"
      >
        {busy ? 'An operation is running…' : `Start: ${LABELS[op]}`}
      </button>
      <p aria-live="polite" className={state.status === 'failed' ? 'text-red-700' : 'text-emerald-700'}>
        {state.status === 'saved' || state.status === 'failed' ? state.message : ''}
      </p>
    </form>
  );
}
