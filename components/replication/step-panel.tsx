'use client';

import { useState } from 'react';
import { type DataMode, type RunState, STEP_HELP, STEP_TITLES, STEPS, type StepId } from '@/lib/wizard/types';
import { ActionForm } from './action-form';
import { PreflightView } from './preflight-view';
import { StatementList } from './statement-list';
import { StepPreview } from './step-preview';
import { StepResults } from './step-results';
import type { WizardActions } from './types';

const MODES: { value: DataMode; label: string; help: string }[] = [
  {
    value: 'copy',
    label: 'Copy over SQL (recommended)',
    help: 'A consistent snapshot of the source, streamed into the replica; no global lock.',
  },
  {
    value: 'operator',
    label: 'I made the copy myself',
    help: 'mariadb-dump or mariadb-backup; the wizard verifies it by checksums.',
  },
  {
    value: 'identical',
    label: 'Both already hold the same data',
    help: 'Verified with CHECKSUM TABLE; nothing is copied but sipha\u2019s own tables.',
  },
];

export function StepPanel({
  run,
  step,
  actions,
  busy,
  cluster,
}: {
  run: RunState;
  step: StepId;
  actions: WizardActions;
  busy: StepId | null;
  /** The page's cluster, when more than one is configured. */
  cluster?: string;
}) {
  const s = run.steps[step];
  const [mode, setMode] = useState<DataMode>('copy');
  const first = run.nodes[0]?.name ?? '';
  const running = s.status === 'running';
  const pct = s.progress
    ? Math.min(100, Math.round((100 * s.progress.done) / Math.max(1, s.progress.total)))
    : 0;
  return (
    <section aria-labelledby="step-title" className="space-y-4 rounded border border-slate-200 bg-white p-4">
      <header className="flex items-baseline justify-between">
        <h2 id="step-title" className="text-lg font-semibold">
          {STEPS.indexOf(step) + 1}. {STEP_TITLES[step]}
        </h2>
        <span className="text-sm text-slate-500">
          {s.finishedAt ? `last run ${new Date(s.finishedAt).toLocaleString()}` : ''}
        </span>
      </header>
      <p className="text-sm text-slate-600">{STEP_HELP[step]}</p>
      <div aria-live="polite" className="space-y-2">
        {s.message && (
          <p
            className={
              s.status === 'failed'
                ? 'text-red-700'
                : s.status === 'interrupted'
                  ? 'text-amber-700'
                  : 'text-green-800'
            }
          >
            {s.message}
          </p>
        )}
        {s.advice && (
          <div className="rounded border border-red-200 bg-red-50 p-3 text-sm">
            <p className="font-semibold">{s.advice.title}</p>
            <p>{s.advice.meaning}</p>
            <ul className="ml-5 list-disc">
              {s.advice.fix.map((f) => (
                <li key={f}>{f}</li>
              ))}
            </ul>
          </div>
        )}
        {(running || s.progress) && s.progress && (
          <div>
            <div className="mb-1 flex justify-between text-xs text-slate-600">
              <span>{s.progress.label}</span>
              <span>{pct}%</span>
            </div>
            <div
              role="progressbar"
              aria-label={`${STEP_TITLES[step]} progress`}
              aria-valuenow={pct}
              aria-valuemin={0}
              aria-valuemax={100}
              className="h-2 rounded bg-slate-200"
            >
              <div className="h-2 rounded bg-blue-600" style={{ width: `${pct}%` }} />
            </div>
          </div>
        )}
      </div>
      {step === 'preflight' && run.steps.preflight.result?.checks && (
        <PreflightView
          checks={run.steps.preflight.result.checks}
          runId={run.runId}
          apply={actions.apply}
          firstNode={first}
        />
      )}
      <StepResults run={run} step={step} />
      {step === 'data' && !running && (
        <fieldset className="space-y-1">
          <legend className="text-sm font-medium">How does the replica get the data?</legend>
          {MODES.map((m) => (
            <label key={m.value} className="flex items-start gap-2 text-sm">
              <input
                type="radio"
                name="mode-choice"
                value={m.value}
                checked={mode === m.value}
                onChange={() => setMode(m.value)}
                className="mt-1"
              />
              <span>
                {m.label} <span className="text-slate-500">— {m.help}</span>
              </span>
            </label>
          ))}
        </fieldset>
      )}
      {!running && run.status === 'open' && (
        <StepPreview
          runId={run.runId}
          step={step}
          version={s.finishedAt ?? ''}
          cluster={cluster}
          {...(step === 'data' ? { mode } : {})}
        />
      )}
      {run.status === 'open' && (
        <ActionForm
          action={actions.start}
          submit={
            running
              ? 'Running…'
              : s.status === 'pending'
                ? `Run ${STEP_TITLES[step].toLowerCase()}`
                : step === 'preflight'
                  ? 'Re-check'
                  : 'Run again'
          }
          firstNode={first}
          disabled={busy !== null}
        >
          <input type="hidden" name="runId" value={run.runId} />
          <input type="hidden" name="step" value={step} />
          {step === 'data' && <input type="hidden" name="mode" value={mode} />}
        </ActionForm>
      )}
      <StatementList
        entries={s.log}
        caption={running ? 'Statements run so far' : 'Statements of the last run'}
      />
    </section>
  );
}
