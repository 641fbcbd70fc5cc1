import 'server-only';
import { isInterrupted, runsElsewhere } from '@/lib/jobs/interrupted';
import { liveJob, processWords } from '@/lib/jobs/registry';
import type { SimpleJob, SimpleState, StepResult } from '@/lib/jobs/run';
import type { ShardMap } from './map';
import { PHASE_WORDS, PHASES } from './move-phases';
import { ROLLBACK_STEPS, rollbackWords } from './move-rollback';
import { aorKey } from './placement';
import type { Plan } from './planner';

// What a move looks like to the page and the API: its status in words the operator acts on,
// each step of the way it goes (the move's phases, or its rollback's steps) with its state.

export type MoveState = SimpleState<Plan> & { rollback?: boolean };

export interface MoveStep {
  id: string;
  words: string;
  status: StepResult['status'] | 'pending';
  detail: string;
}

export interface MoveRow {
  moveId: string;
  /**
   * running: in this console process now, or in another that still reports (`elsewhere`);
   * interrupted: stored as running, but no console process runs it (the one that did stopped);
   * failed: a step failed; done, rolled_back: ended.
   */
  status: 'running' | 'interrupted' | 'failed' | 'done' | 'rolled_back';
  mode: 'move' | 'rollback';
  /** The step running, or the one it stopped at (the last one when ended). */
  phase: string;
  plan: Plan;
  detail: string;
  steps: MoveStep[];
  /** The new map is in place: a rollback makes no sense any more, only resume. */
  committed: boolean;
  inProgress: boolean;
  /**
   * Running in another console process over the same databases (lib/jobs/interrupted.ts), named
   * ("process 4123 on lab1"); null when not.
   */
  elsewhere: string | null;
  createdBy: string;
  createdAt: number;
  finishedAt: number | null;
}

export const isRollback = (rec: SimpleJob): boolean => (rec.state as MoveState).rollback === true;

/**
 * The commit step is recorded done, or it was cut short (failed, or the console died) after its
 * map version was written: the move's pins are gone from the map.
 */
function isCommitted(steps: SimpleState['steps'], plan: Plan, map: ShardMap): boolean {
  const c = steps.commit?.status;
  if (c === 'done' || steps.cleanup) return true;
  if (c !== 'running' && c !== 'failed') return false;
  const first = plan.groups[0]?.users[0];
  return !!first && !map.moving.has(aorKey(first));
}

export function rowOf(rec: SimpleJob<Plan>, map: ShardMap): MoveRow {
  const state = rec.state as MoveState;
  const plan = state.data as Plan;
  const mode = state.rollback ? 'rollback' : 'move';
  const words: Record<string, string> = mode === 'move' ? PHASE_WORDS : rollbackWords(plan);
  const ids: readonly string[] = mode === 'move' ? PHASES : ROLLBACK_STEPS;
  const steps: MoveStep[] = ids.map((id) => ({
    id,
    words: words[id] ?? id,
    status: state.steps[id]?.status ?? 'pending',
    detail: state.steps[id]?.detail ?? '',
  }));
  const live = liveJob(rec.jobId);
  const inProgress = live?.ended === false;
  // Stored as running with no process here running it: the console that ran it stopped.
  const stored = { ...rec, step: rec.step ?? ids[0]! };
  const stopped = isInterrupted(stored);
  const status: MoveRow['status'] =
    rec.status === 'succeeded'
      ? mode === 'move'
        ? 'done'
        : 'rolled_back'
      : rec.status === 'failed'
        ? 'failed'
        : stopped
          ? 'interrupted'
          : 'running';
  const at = steps.find((s) => s.status !== 'done' && s.status !== 'skipped') ?? steps.at(-1)!;
  const lastDone = [...steps].reverse().find((s) => s.status === 'done');
  return {
    moveId: rec.jobId,
    status,
    mode,
    phase: at.id,
    plan,
    detail: status === 'failed' ? `${at.id}: ${rec.detail}` : (lastDone?.detail ?? ''),
    steps,
    committed: mode === 'move' && isCommitted(state.steps, plan, map),
    inProgress,
    elsewhere: !inProgress && runsElsewhere(stored) ? processWords(stored.owner ?? '?') : null,
    createdBy: rec.createdBy,
    createdAt: rec.createdAt,
    finishedAt: rec.finishedAt,
  };
}
