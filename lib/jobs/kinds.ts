import 'server-only';

// The job kinds: each declares its steps in order, with what a step does (run), how to tell
// after a console restart that its effect is already in place (verify) and how to undo it
// (rollback). runSteps and rollbackSteps walk them; the kind's module decides when.

export interface JobStepDef<C> {
  id: string;
  /** Does the step's work; returns its result (words, or the kind's own shape). */
  run: (c: C) => Promise<unknown>;
  /** True when the step's effect is already in place: a resumed job skips it. */
  verify?: (c: C) => Promise<boolean>;
  /** Undoes the step's effect; safe to call when the step never ran. Returns what it did, or null. */
  rollback?: (c: C) => Promise<string | null>;
}

export interface JobKind<C> {
  kind: string;
  /** What the page says about a job of this kind that a console restart interrupted. */
  interrupted: string;
  steps: JobStepDef<C>[];
}

const kinds = new Map<string, JobKind<never>>();

export function defineJobKind<C>(k: JobKind<C>): JobKind<C> {
  kinds.set(k.kind, k as unknown as JobKind<never>);
  return k;
}

export function jobKind(kind: string): JobKind<unknown> | undefined {
  return kinds.get(kind) as JobKind<unknown> | undefined;
}

/**
 * Runs the steps through `runOne` (which records and audits each, step.ts), in the kind's
 * order or in `order` (a job's own plan). With `resume`, a step whose verify says it is already
 * done is handed to `skipped` instead of being run again. The first failure stops the walk.
 */
export async function runSteps<C>({
  kind,
  ctx,
  order,
  resume = false,
  runOne,
  skipped,
}: {
  kind: JobKind<C>;
  ctx: C;
  order?: readonly string[];
  resume?: boolean;
  runOne: (step: JobStepDef<C>) => Promise<void>;
  skipped?: (step: JobStepDef<C>) => Promise<void>;
}): Promise<void> {
  for (const id of order ?? kind.steps.map((s) => s.id)) {
    const step = kind.steps.find((s) => s.id === id);
    if (!step) throw new Error(`${kind.kind} has no step ${id}`);
    if (resume && step.verify && (await step.verify(ctx))) await skipped?.(step);
    else await runOne(step);
  }
}

/** Every rollback of the kind, last step first; what each one did, in that order. */
export async function rollbackSteps<C>({
  kind,
  ctx,
  only,
}: {
  kind: JobKind<C>;
  ctx: C;
  only?: readonly string[];
}): Promise<{ step: string; detail: string }[]> {
  const done: { step: string; detail: string }[] = [];
  for (const step of [...kind.steps].reverse()) {
    if (!step.rollback || (only && !only.includes(step.id))) continue;
    const detail = await step.rollback(ctx);
    if (detail) done.push({ step: step.id, detail });
  }
  return done;
}
