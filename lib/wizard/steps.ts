import 'server-only';
import type { WizardContext } from './context';
import { runDirectionsStep } from './directions';
import { StepFailure } from './failure';
import { runHardenStep } from './harden';
import type { StepIO } from './io';
import { runNodesStep } from './nodes-step';
import { blocking, runPreflight } from './preflight';
import { runUserStep } from './repl-user';
import { runDataStep } from './snapshot';
import type { DataMode, RunState, StepId, StepResults } from './types';
import { runVerifyStep } from './verify';

// The step functions by id, with the input each one takes.

export interface StepInput {
  mode?: DataMode;
}

type StepArgs = { ctx: WizardContext; run: RunState; io: StepIO; input: StepInput };

export const STEP_FNS: { [K in StepId]: (args: StepArgs) => Promise<StepResults[K]> } = {
  nodes: runNodesStep,
  preflight: async (a) => {
    const r = await runPreflight(a);
    if (!r.passed && !a.io.dryRun) {
      const failing = blocking(r.checks);
      throw Object.assign(
        new StepFailure(
          `${failing.length} check(s) fail: ${failing.map((c) => `${c.node} ${c.label}`).join('; ')}.`,
        ),
        { result: r },
      );
    }
    return r;
  },
  user: runUserStep,
  data: (a) => runDataStep({ ...a, mode: a.input.mode ?? 'copy' }),
  directions: runDirectionsStep,
  verify: runVerifyStep,
  harden: runHardenStep,
};

/** Steps that only make sense once the ones before them are done. */
export const REQUIRES: Partial<Record<StepId, StepId[]>> = {
  preflight: ['nodes'],
  user: ['preflight'],
  data: ['preflight'],
  directions: ['user', 'data'],
  verify: ['directions'],
  harden: ['verify'],
};
