import 'server-only';

// One step of a job, for every kind: recorded as running, run, recorded with its outcome, and
// exactly one audit row (`<kind>.<step>`) whatever happened. The kind says how a step is
// recorded (its own state shape, and whether it may write to the store right now).

export interface JobAuditEntry {
  action: string;
  target: string;
  node: string | null;
  outcome: 'ok' | 'failed';
  detail: string;
}

export type JobAudit = (e: JobAuditEntry) => Promise<void>;

export type StepOutcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface StepRun<T> {
  kind: string;
  step: string;
  /** The audit row's target. */
  target: string;
  /** The node the step works on, when there is one. */
  node?: string | null;
  audit: JobAudit;
  /** Records the step as running (state, store, progress). */
  begin?: () => Promise<void>;
  run: () => Promise<T>;
  /** Records the end; returns the audit row's detail. */
  end: (outcome: StepOutcome<T>) => Promise<string>;
}

export async function runJobStep<T>(s: StepRun<T>): Promise<T> {
  await s.begin?.();
  let outcome: StepOutcome<T>;
  try {
    outcome = { ok: true, value: await s.run() };
  } catch (error) {
    outcome = { ok: false, error };
  }
  const detail = await s.end(outcome);
  await s
    .audit({
      action: `${s.kind}.${s.step}`,
      target: s.target,
      node: s.node ?? null,
      outcome: outcome.ok ? 'ok' : 'failed',
      detail,
    })
    .catch(() => undefined);
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}
