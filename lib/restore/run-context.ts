import 'server-only';
import type { ConnectionList } from '@/lib/db/connection-list';
import { AppError, publicError } from '@/lib/errors';
import { type JobAudit, runJobStep } from '@/lib/jobs/step';
import type { NodeCtx } from './node-io';
import type { ReadLock } from './read-lock';
import type { ReplicationCredentials } from './replicate';
import { saveRun } from './store';
import type { RestoreKind, RestoreProcedure, RunView, StepId, VerifyCheckpoint } from './types';

// The state of one restore run and the bookkeeping every step shares: progress events, audit
// rows (held back while the survivor is locked), persistence, and each step run as a job step
// (lib/jobs/step.ts: recorded before and after, one audit row). The steps themselves live in
// step-table/run-lock/run-switch.

export type AuditSink = JobAudit;

export interface RunOptions {
  list: ConnectionList;
  kind: RestoreKind;
  procedure: RestoreProcedure;
  target: string;
  actor: string;
  runId: string;
  leaseMs?: number;
  catchUpTimeoutMs?: number;
  /** Typed by the operator when the returning node has no source configured; never stored. */
  credentials?: ReplicationCredentials;
  audit?: AuditSink;
  onProgress?: (v: RunView) => void;
  /** Tests only: stay this long inside the lock window. */
  testHoldMs?: number;
  /**
   * Tests only: stay this long after the switch, before
   * the unlock, so a test can kill the console with the target already active and the lock held.
   */
  testHoldAfterSwitchMs?: number;
  onLocked?: () => void;
  /** Resuming an interrupted run: how far its chunked verification got (verify-snapshot.ts). */
  resumeChunks?: VerifyCheckpoint | null;
  /** The benchmark's baseline (today's procedure before issue 16): CHECKSUM TABLE inside the lock. */
  checksumInLock?: boolean;
}

export class RunContext {
  lock: ReadLock | null = null;
  t!: NodeCtx;
  s!: NodeCtx;
  /** Audit rows raised while the survivor is locked wait here: the audit table is on it. */
  pending: Parameters<AuditSink>[0][] = [];
  survivorPos = '';
  semiSyncDone = false;

  constructor(
    readonly o: RunOptions,
    readonly view: RunView,
    readonly leaseMs: number,
  ) {}

  emit(): void {
    this.o.onProgress?.(structuredClone(this.view));
  }

  async record(action: string, node: string | null, outcome: 'ok' | 'failed', detail: string): Promise<void> {
    const e = {
      action,
      target: this.view.target,
      node,
      outcome,
      detail: `[${this.view.runId.slice(0, 8)}] ${detail}`,
    };
    if (this.lock) this.pending.push(e);
    else await this.o.audit?.(e).catch(() => undefined);
  }

  async flushAudit(): Promise<void> {
    for (const e of this.pending.splice(0)) await this.o.audit?.(e).catch(() => undefined);
  }

  async persist(): Promise<void> {
    if (this.lock) return; // never write to the locked survivor
    await saveRun({ list: this.o.list, view: this.view }).catch((err) =>
      this.view.warnings.push(`run state not saved: ${publicError(err).message}`),
    );
  }

  async step(id: StepId, node: string, fn: () => Promise<string>): Promise<void> {
    const s = this.view.steps.find((x) => x.id === id);
    if (!s) return;
    await runJobStep({
      kind: 'restore',
      step: id,
      target: this.view.target,
      node,
      audit: (e) => this.record(e.action, e.node, e.outcome, e.detail),
      begin: async () => {
        this.view.phase = id;
        s.status = 'running';
        s.startedAt = Date.now();
        this.emit();
        await this.persist();
      },
      run: fn,
      end: async (o) => {
        s.status = o.ok ? 'done' : 'failed';
        s.detail = o.ok ? o.value : publicError(o.error).message;
        s.ms = Date.now() - (s.startedAt ?? Date.now());
        this.emit();
        return s.detail;
      },
    });
  }

  requireLock(): ReadLock {
    if (!this.lock || this.lock.expired)
      throw new AppError(
        'failed:database',
        `The lease of ${this.leaseMs} ms ran out: ${this.view.survivor} unlocked itself.`,
      );
    return this.lock;
  }
}
