'use client';

import { useActionState } from 'react';
import { idle } from '@/lib/action-state';
import { ActionResult, FieldError } from './action-form';
import type { Action, PublicNode } from './types';

// Step 1's form: which configured nodes take part (2 for a pair, 3+ for a ring) and the address
// a replica uses to reach each one (the configured one unless NAT says otherwise).

export function NodePicker({ nodes, action }: { nodes: PublicNode[]; action: Action }) {
  const [state, run, pending] = useActionState(action, idle);
  return (
    <form action={run} className="space-y-4 rounded border border-slate-200 bg-white p-4">
      <h2 className="text-lg font-semibold">1. Nodes</h2>
      <fieldset className="space-y-2" aria-describedby="nodes-error">
        <legend className="text-sm text-slate-600">
          Pick the nodes to replicate (two for a pair, three or more for a ring, in ring order).
        </legend>
        {nodes.map((n) => (
          <div key={n.name} className="flex flex-wrap items-center gap-4">
            <label className="flex w-48 items-center gap-2 text-sm">
              <input type="checkbox" name={`node_${n.name}`} defaultChecked={nodes.length <= 3} />
              <span className="font-mono">{n.name}</span>
              <span className="text-slate-500">
                {n.host}:{n.port}
              </span>
            </label>
            <label className="flex items-center gap-2 text-sm">
              Address replicas use
              <input
                name={`addr_${n.name}`}
                defaultValue={`${n.host}:${n.port}`}
                aria-describedby={`addr_${n.name}-error`}
                className="w-48 rounded border border-slate-300 px-2 py-1 font-mono text-sm"
              />
            </label>
            <FieldError state={state} name={`addr_${n.name}`} />
          </div>
        ))}
        <FieldError state={state} name="nodes" />
      </fieldset>
      <button
        type="submit"
        disabled={pending}
        className="rounded bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700 disabled:opacity-50"
      >
        {pending ? 'Connecting…' : 'Connect and start'}
      </button>
      <ActionResult state={state} firstNode={nodes[0]?.name} />
    </form>
  );
}
