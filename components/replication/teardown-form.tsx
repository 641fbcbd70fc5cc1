'use client';

import { ActionForm } from './action-form';
import type { Action } from './types';

export function TeardownForm({
  runId,
  action,
  firstNode,
  nodes,
}: {
  runId: string;
  action: Action;
  firstNode: string;
  nodes: string[];
}) {
  return (
    <details className="rounded border border-red-200 bg-white p-3 text-sm">
      <summary className="cursor-pointer font-medium text-red-800">Tear down replication…</summary>
      <p className="my-2">
        Runs <code>STOP SLAVE; RESET SLAVE ALL</code> on {nodes.join(', ')}. Data and accounts stay; the
        initial-data step has to run again.
      </p>
      <ActionForm action={action} submit="Tear down" danger firstNode={firstNode}>
        <input type="hidden" name="runId" value={runId} />
        <label className="flex items-center gap-2">
          <input type="checkbox" name="confirm" /> I understand replication stops on every node of this run
        </label>
      </ActionForm>
    </details>
  );
}
