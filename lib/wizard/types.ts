// Shapes of the replication wizard's state (stored as JSON in its job, sipha_job.state) and of what
// the UI shows. Pure types and constants: safe to import from client components (the step
// modules below are imported for their types only).
import type { runDirectionsStep } from './directions';
import type { runHardenStep } from './harden';
import type { runNodesStep } from './nodes-step';
import type { runPreflight } from './preflight';
import type { runUserStep } from './repl-user';
import type { runDataStep } from './snapshot';
import type { runVerifyStep } from './verify';

export const STEPS = ['nodes', 'preflight', 'user', 'data', 'directions', 'verify', 'harden'] as const;
export type StepId = (typeof STEPS)[number];

export const STEP_TITLES: Record<StepId, string> = {
  nodes: 'Nodes',
  preflight: 'Preflight',
  user: 'Replication user',
  data: 'Initial data',
  directions: 'Both directions',
  verify: 'Verify end to end',
  harden: 'Harden and finish',
};

export const STEP_HELP: Record<StepId, string> = {
  nodes: 'Connects to every chosen node with the configured account and detects flavour and version.',
  preflight:
    'Checks each node: server_id, binary log, GTID, auto_increment, accounts, lossless semi-sync, character set, time zone. Changes nothing until you press Apply.',
  user: 'Creates on each source an account with REPLICATION SLAVE only, for its replica’s address, with a new random password that is never shown or stored.',
  data: 'Gives each replica the data of the node it will read from, and the exact binlog/GTID position it starts at.',
  directions:
    'Points each node at its source (CHANGE MASTER … MASTER_USE_GTID=slave_pos), starts it and waits for both threads to run without errors; with semi-sync on, restarts the IO thread so the replica acknowledges commits.',
  verify:
    'Writes a probe row on each node, measures when it appears on every other node, compares CHECKSUM TABLE subscriber, and checks that every source waits for a semi-sync replica (lossless).',
  harden: 'Removes anonymous accounts (the paper’s last step) and closes the run with a summary.',
};

export type StepStatus = 'pending' | 'running' | 'done' | 'failed' | 'interrupted';

/** One statement as the operator sees it: secrets already masked. */
export interface LogEntry {
  at: string;
  node: string;
  sql: string;
  outcome: 'ok' | 'failed' | 'planned';
  note?: string;
}

export interface Progress {
  label: string;
  done: number;
  total: number;
}

export interface Advice {
  title: string;
  meaning: string;
  fix: string[];
}

/** What each step stores as its result, by step id. */
export interface StepResults {
  nodes: Awaited<ReturnType<typeof runNodesStep>>;
  preflight: Awaited<ReturnType<typeof runPreflight>>;
  user: Awaited<ReturnType<typeof runUserStep>>;
  data: Awaited<ReturnType<typeof runDataStep>>;
  directions: Awaited<ReturnType<typeof runDirectionsStep>>;
  verify: Awaited<ReturnType<typeof runVerifyStep>>;
  harden: Awaited<ReturnType<typeof runHardenStep>>;
}

export interface StepState<R = StepResults[StepId]> {
  status: StepStatus;
  startedAt?: string;
  finishedAt?: string;
  message?: string;
  advice?: Advice;
  log: LogEntry[];
  progress?: Progress;
  result?: R;
  /** The console process running it; a different owner means the console restarted mid-step. */
  owner?: string;
}

export type Steps = { [K in StepId]: StepState<StepResults[K]> };

export interface NodeChoice {
  name: string;
  /** Address a replica uses to reach this node; defaults to the configured host/port. */
  replicationHost: string;
  replicationPort: number;
}

export interface RunState {
  runId: string;
  status: 'open' | 'finished' | 'abandoned';
  currentStep: StepId;
  nodes: NodeChoice[];
  steps: Steps;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export type DataMode = 'copy' | 'operator' | 'identical';

export interface Check {
  id: string;
  node: string;
  label: string;
  ok: boolean;
  /** A warning passes but is shown. */
  severity: 'error' | 'warning' | 'info';
  reason: string;
  /** Dynamic fix: statements the Apply button runs (display text). */
  apply?: string[];
  /** Static fix: my.cnf lines for this node and a restart. */
  myCnf?: string;
  fix?: string;
}

export function emptySteps(): Steps {
  return Object.fromEntries(STEPS.map((s) => [s, { status: 'pending', log: [] }])) as unknown as Steps;
}

/** The first step not done, in order: where the wizard resumes. */
export function resumeStep(steps: Record<StepId, StepState>): StepId {
  return STEPS.find((s) => steps[s].status !== 'done') ?? 'harden';
}
