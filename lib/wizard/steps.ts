import 'server-only';
import { defineJobKind } from '@/lib/jobs/kinds';
import type { WizardContext } from './context';
import { runDirectionsStep } from './directions';
import { StepFailure } from './failure';
import { runHardenStep } from './harden';
import type { StepIO } from './io';
import { runNodesStep } from './nodes-step';
import { blocking, runPreflight } from './preflight';
import { runUserStep } from './repl-user';
import { runDataStep } from './snapshot';
import { runTeardown } from './teardown';
import { type DataMode, type RunState, STEPS, type StepId, type StepResults } from './types';
import { runVerifyStep } from './verify';

// The wizard as a job kind (lib/jobs): its steps by id, with the input each one takes. The
// operator runs them one at a time (runner.ts); an interrupted step is run again, and the
// replication links (directions) are rolled back by the tear-down.

export interface StepInput {
  mode?: DataMode;
}

export type StepArgs = { ctx: WizardContext; run: RunState; io: StepIO; input: StepInput };

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

export const wizardJob = defineJobKind<StepArgs>({
  kind: 'wizard',
  interrupted: 'The console stopped while this step ran. Run it again: it is safe to repeat.',
  steps: STEPS.map((id) => ({
    id,
    run: (a: StepArgs) => STEP_FNS[id](a),
    ...(id === 'directions'
      ? {
          rollback: async (a: StepArgs) => {
            await runTeardown(a);
            return 'replication stopped and forgotten on every node';
          },
        }
      : {}),
  })),
});
