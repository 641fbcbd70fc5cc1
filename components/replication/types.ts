import type { ActionState } from '@/lib/action-state';
import type { RunState, StepId } from '@/lib/wizard/types';

export type Action = (prev: ActionState, form: FormData) => Promise<ActionState>;

export interface WizardActions {
  create: Action;
  start: Action;
  apply: Action;
  teardown: Action;
}

export interface WizardSnapshot {
  run: RunState | null;
  busy: StepId | null;
}

export interface PublicNode {
  name: string;
  host: string;
  port: number;
  database: string;
}
