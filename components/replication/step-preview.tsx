'use client';

import { useQuery } from '@tanstack/react-query';
import { getJson } from '@/components/get-json';
import type { LogEntry, StepId } from '@/lib/wizard/types';
import { StatementList } from './statement-list';

// "Every statement shown before it runs": the step computes its own statements with writes
// held back, on the server; fetched once per step/mode, not polled.

export function StepPreview({
  runId,
  step,
  mode,
  version,
  cluster,
}: {
  runId: string;
  step: StepId;
  mode?: string;
  version?: string;
  cluster?: string;
}) {
  const q = useQuery({
    // version: the step's last finish time, so the preview is worked out again after each run.
    queryKey: ['wizard-preview', runId, step, mode ?? '', version ?? '', cluster ?? ''],
    queryFn: ({ signal }) => {
      const p = new URLSearchParams({
        runId,
        step,
        ...(mode ? { mode } : {}),
        ...(cluster ? { cluster } : {}),
      });
      return getJson<{ log: LogEntry[]; error?: string; commands: string[] }>(
        `/replication/preview?${p}`,
        signal,
      );
    },
    refetchInterval: false,
    staleTime: 5_000,
  });
  if (q.isPending) return <p className="text-sm text-slate-500">Working out the statements…</p>;
  if (q.isError) return <p className="text-sm text-red-700">{q.error.message}</p>;
  return (
    <div className="space-y-2">
      {q.data.commands.length > 0 && (
        <div className="text-sm">
          <p className="mb-1">Make the copy yourself with (run on a host that reaches both nodes):</p>
          {q.data.commands.map((c) => (
            <pre
              key={c}
              className="whitespace-pre-wrap break-all rounded bg-slate-900 p-2 text-xs text-slate-100"
            >
              {c}
            </pre>
          ))}
          <p className="text-slate-600">
            Then press Run: the wizard compares CHECKSUM TABLE of every SIP table on both nodes before it goes
            on.
          </p>
        </div>
      )}
      {q.data.error && <p className="text-sm text-amber-700">This step would stop now: {q.data.error}</p>}
      <StatementList entries={q.data.log} caption="Statements this step will run (passwords masked)" />
    </div>
  );
}
