import 'server-only';
import type { AuditEntry } from '@/lib/audit/log';
import type { NodeConfig } from '@/lib/config/schema';
import type { Session, SessionUse } from '@/lib/db/connection-list';
import { AppError } from '@/lib/errors';
import type { StepIO } from './io';
import type { WizardStore } from './store';
import type { NodeChoice, RunState } from './types';

// What every wizard step needs, passed in so that tests can drive the same functions against a
// lab without a Next.js request: the configured nodes, the state store, who acts, the audit log.

export interface WizardContext {
  nodes: NodeConfig[];
  store: WizardStore;
  actor: string;
  audit: (entry: AuditEntry) => Promise<void>;
  /** Called after "Apply" changed globals on these nodes: the console's own pooled sessions
   *  still hold the old auto_increment_* values and must be replaced. */
  onGlobalsChanged?: (nodes: string[]) => void;
  /** A dedicated session on a configured node: the connection list's `openSession` (admin.ts). */
  openSession: (node: string, use: SessionUse) => Promise<Session>;
}

/** What each step function takes. */
export interface StepArgs {
  ctx: WizardContext;
  run: RunState;
  io: StepIO;
}

/** The run's nodes, in run order, with their configured credentials. */
export function runNodeConfigs(ctx: WizardContext, run: RunState): NodeConfig[] {
  return run.nodes.map((choice) => {
    const n = ctx.nodes.find((c) => c.name === choice.name);
    if (!n)
      throw new AppError(
        'conflict:state',
        `Node ${choice.name} is no longer in the configuration; start a new run.`,
      );
    return n;
  });
}

export function choiceOf(run: RunState, name: string): NodeChoice {
  const c = run.nodes.find((n) => n.name === name);
  if (!c) throw new AppError('not_found:resource', `Node ${name} is not part of this run`);
  return c;
}

export interface Link {
  /** The node that replicates... */
  replica: string;
  /** ...from this one. */
  source: string;
}

/**
 * Replication links in the order the wizard sets them up: each node from the one before it
 * (so data flows down the list from the first node), then the first from the last, which
 * closes the pair (two nodes) or the ring (three or more).
 */
export function links(names: readonly string[]): Link[] {
  if (names.length < 2) return [];
  const out: Link[] = names.slice(1).map((replica, i) => ({ replica, source: names[i]! }));
  out.push({ replica: names[0]!, source: names[names.length - 1]! });
  return out;
}
