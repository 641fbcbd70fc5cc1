import 'server-only';
import type { ConnectionList } from '@/lib/db/connection-list';
import { AppError, publicError } from '@/lib/errors';
import { findBlockers } from './blockers';
import { waitTarget } from './gtid';
import { exec, type NodeCtx, nodeCtx, onCtx, positions } from './io';
import { ReadLock } from './lock';
import { planRun } from './plan';
import { ensureReplicating, ensureReverse, type ReplicationCredentials } from './replicate';
import { catchUp, explainMismatch, precheckSubscriber, verifyLocked, waitFor } from './steps';
import { saveRun } from './store';
import type { RestoreKind, RestoreProcedure, RunView, StepId } from './types';

// The restore state machine (issue 6). Steps run in the order of plan.ts's ORDER; each one is
// recorded (view + audit) before and after it runs. The survivor's lock is taken only in the
// `lock` step and always released in a finally, by UNLOCK TABLES or by dropping the session.

export type AuditSink = (e: {
  action: string;
  target: string;
  node: string | null;
  outcome: 'ok' | 'failed';
  detail: string;
}) => Promise<void>;

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
  /** Test hook (SIPHA_RESTORE_TEST_HOLD_MS): stay this long inside the lock window. */
  testHoldMs?: number;
  onLocked?: () => void;
}

export const DEFAULT_LEASE_MS = 30_000;

export async function runRestore(o: RunOptions): Promise<RunView> {
  const leaseMs = o.leaseMs ?? DEFAULT_LEASE_MS;
  const view = await planRun({
    list: o.list,
    kind: o.kind,
    procedure: o.procedure,
    target: o.target,
    actor: o.actor,
    leaseMs,
    runId: o.runId,
  });
  const run = new Run(o, view, leaseMs);
  return run.execute();
}

class Run {
  private lock: ReadLock | null = null;
  private t!: NodeCtx;
  private s!: NodeCtx;
  /** Audit rows raised while the survivor is locked wait here: the audit table is on it. */
  private pending: Parameters<AuditSink>[0][] = [];
  private survivorPos = '';

  constructor(
    private readonly o: RunOptions,
    readonly view: RunView,
    private readonly leaseMs: number,
  ) {}

  private emit() {
    this.o.onProgress?.(structuredClone(this.view));
  }

  private async record(action: string, node: string | null, outcome: 'ok' | 'failed', detail: string) {
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

  private async persist() {
    if (this.lock) return; // never write to the locked survivor
    await saveRun({ list: this.o.list, view: this.view }).catch((err) =>
      this.view.warnings.push(`run state not saved: ${publicError(err).message}`),
    );
  }

  private async step(id: StepId, node: string, fn: () => Promise<string>): Promise<void> {
    const s = this.view.steps.find((x) => x.id === id);
    if (!s) return;
    this.view.phase = id;
    s.status = 'running';
    s.startedAt = Date.now();
    this.emit();
    await this.persist();
    await this.record(`restore.${id}`, node, 'ok', `start: ${s.plan}`);
    try {
      s.detail = await fn();
      s.status = 'done';
    } catch (err) {
      s.status = 'failed';
      s.detail = publicError(err).message;
      throw err;
    } finally {
      s.ms = Date.now() - s.startedAt;
      await this.record(`restore.${id}`, node, s.status === 'done' ? 'ok' : 'failed', s.detail);
      this.emit();
    }
  }

  async execute(): Promise<RunView> {
    const { list } = this.o;
    [this.t, this.s] = await Promise.all([
      nodeCtx({ list, name: this.view.target }),
      nodeCtx({ list, name: this.view.survivor }),
    ]);
    this.view.message = `Restoring ${this.view.target} from ${this.view.survivor} (${this.view.procedure} procedure).`;
    await this.record(
      'restore.start',
      null,
      'ok',
      `${this.view.kind} of ${this.view.target}, survivor ${this.view.survivor}, ${this.view.procedure} procedure, lease ${this.leaseMs} ms`,
    );
    try {
      for (const st of this.view.steps) await this.runStep(st.id);
      this.view.status = 'succeeded';
      this.view.phase = 'done';
      this.view.message = `${this.view.target} is active again; the survivor was read-locked for ${this.view.lockWindowMs} ms.`;
    } catch (err) {
      const aborted = err instanceof AppError && err.code === 'conflict:state';
      this.view.status = aborted ? 'aborted' : 'failed';
      this.view.message = this.lock?.expired
        ? `The ${this.leaseMs} ms lease ran out: the survivor unlocked itself and the run stopped.`
        : publicError(err).message;
      for (const s of this.view.steps) if (s.status === 'pending') s.status = 'skipped';
    } finally {
      await this.unlock();
      this.view.finishedAt = Date.now();
      this.view.lockLeaseEndsAt = null;
      for (const e of this.pending.splice(0)) await this.o.audit?.(e).catch(() => undefined);
    }
    if (this.view.verify && !this.view.verify.ok && this.view.verify.diffs.length === 0)
      await this.fillDiffs();
    await this.record(
      'restore.finish',
      null,
      this.view.status === 'succeeded' ? 'ok' : 'failed',
      `${this.view.status}: ${this.view.message}`,
    );
    await this.persist();
    this.emit();
    return this.view;
  }

  private async unlock(): Promise<void> {
    const lock = this.lock;
    if (!lock) return;
    const unlockStep = this.view.steps.find((s) => s.id === 'unlock');
    const window = await lock.release();
    this.lock = null;
    this.view.lockWindowMs = window;
    if (unlockStep && unlockStep.status !== 'done') {
      unlockStep.status = 'done';
      unlockStep.detail = `${this.view.survivor} unlocked after ${window} ms${lock.expired ? ' (lease expired)' : ''}`;
    }
    // The switch turned the target active: now the survivor's semi-sync wait can come back.
    if (this.view.status !== 'failed' && this.view.status !== 'aborted') await this.semiSyncBack();
  }

  private async fillDiffs(): Promise<void> {
    try {
      const sp = await positions(this.s);
      await waitFor({
        target: this.t,
        pos: waitTarget({ survivor: sp.binlog, target: (await positions(this.t)).binlog }),
        seconds: 3,
      });
      this.view.verify = await explainMismatch({
        target: this.t,
        survivor: this.s,
        verify: this.view.verify!,
      });
    } catch (err) {
      this.view.warnings.push(`could not list the differing rows: ${publicError(err).message}`);
    }
  }

  private async semiSyncBack(): Promise<void> {
    if (
      this.semiSyncDone ||
      this.view.kind !== 'restore' ||
      this.view.steps.find((s) => s.id === 'switch')?.status !== 'done'
    )
      return;
    try {
      const [r] = await onCtx<{ replica_enabled: unknown }>(this.t, this.t.dialect.semiSyncReplicaEnabled());
      if (Number(r?.replica_enabled) !== 1) return;
      await onCtx(this.s, this.s.dialect.setSemiSyncSourceWait({ on: true }));
    } catch (err) {
      this.view.warnings.push(
        `semi-sync wait on ${this.view.survivor} not turned back on: ${publicError(err).message}`,
      );
    }
  }

  private async runStep(id: StepId): Promise<void> {
    const { t, s } = this;
    switch (id) {
      case 'replicate':
        return this.step(id, t.name, async () => {
          const fwd = await ensureReplicating({ target: t, survivor: s, credentials: this.o.credentials });
          const back = await ensureReverse({ target: t, survivor: s, waitMs: 10_000 });
          if (back.includes('does not')) this.view.warnings.push(back);
          return `${fwd}; ${back}`;
        });
      case 'catch_up':
        return this.step(id, t.name, async () => {
          const g = await catchUp({
            target: t,
            survivor: s,
            timeoutMs: this.o.catchUpTimeoutMs ?? 600_000,
            onGap: (gap) => {
              this.view.gap = gap;
              this.emit();
            },
          });
          this.view.gap = g;
          return `${t.name} reached ${s.name}'s position ${g.survivor}`;
        });
      case 'precheck':
        return this.step(id, t.name, async () => {
          const r = await precheckSubscriber({ target: t, survivor: s });
          if (!r.ok) {
            this.view.verify = {
              ok: false,
              gtidSurvivor: '',
              gtidTarget: '',
              gtidOk: true,
              tables: [{ table: 'subscriber', survivor: null, target: null, equal: false }],
              diffs: r.diffs,
              diffsTruncated: r.truncated,
            };
            throw new AppError(
              'conflict:state',
              `${r.detail}: the run stopped before locking anything. Nothing was changed.`,
            );
          }
          return r.detail;
        });
      case 'blockers':
        return this.step(id, s.name, async () => {
          this.view.blockers = await findBlockers({ survivor: s, target: t });
          const n = this.view.blockers.length;
          return n === 0
            ? 'nothing would stall the lock'
            : `${n} session(s) listed below; the lease bounds any wait they cause`;
        });
      case 'lock':
        return this.lockStep();
      case 'final_wait':
        return this.step(id, t.name, async () => {
          const pos = waitTarget({ survivor: this.survivorPos, target: (await positions(t)).binlog });
          const seconds = this.requireLock().remainingMs() / 1000;
          if (!(await waitFor({ target: t, pos, seconds })))
            throw new AppError(
              'failed:database',
              `${t.name} did not reach ${this.survivorPos} before the lease ran out.`,
            );
          this.requireLock();
          return pos
            ? `${t.name} applied up to ${this.survivorPos}`
            : `${t.name} already had ${this.survivorPos}`;
        });
      case 'verify':
        return this.step(id, t.name, async () => {
          const v = await verifyLocked({
            target: t,
            survivor: s,
            survivorPos: this.survivorPos,
            timeoutMs: this.requireLock().remainingMs() + 500,
          });
          this.view.verify = v;
          this.requireLock();
          if (!v.ok)
            throw new AppError(
              'conflict:state',
              `Verification failed (${v.gtidOk ? '' : 'GTID positions differ; '}${
                v.tables
                  .filter((x) => !x.equal)
                  .map((x) => x.table)
                  .join(', ') || 'tables equal'
              }): aborted and unlocked. Nothing was deleted.`,
            );
          return `GTID ${v.gtidTarget} contains ${v.gtidSurvivor}; ${v.tables.map((x) => `${x.table} ${x.survivor}`).join(', ')} equal`;
        });
      case 'switch':
        return this.step(id, t.name, () => this.switchOver());
      case 'unlock':
        return this.step(id, s.name, async () => {
          await this.unlock();
          return `${s.name} unlocked; read-lock window ${this.view.lockWindowMs} ms`;
        });
    }
  }

  private requireLock(): ReadLock {
    if (!this.lock || this.lock.expired)
      throw new AppError(
        'failed:database',
        `The lease of ${this.leaseMs} ms ran out: ${this.view.survivor} unlocked itself.`,
      );
    return this.lock;
  }

  private async lockStep(): Promise<void> {
    const { t, s } = this;
    // Everything that can be prepared is, before FTWRL: the lock session is connected, both
    // pools hold a warm connection, the dialects are known.
    const lock = await ReadLock.prepare({
      node: s.node.handle.config,
      leaseMs: this.leaseMs,
      connectTimeoutMs: 2000,
      onLeaseExpired: () => this.emit(),
    });
    try {
      await Promise.all([
        onCtx(t, { sql: 'SELECT 1', display: 'SELECT 1' }),
        onCtx(s, { sql: 'SELECT 1', display: 'SELECT 1' }),
      ]);
      // The steps since catch-up (precheck, blockers) let the survivor run ahead again: close
      // that gap while it still takes writes, so the final wait under the lock is a few events.
      if (this.o.procedure === 'sipha')
        await catchUp({
          target: t,
          survivor: s,
          timeoutMs: 30_000,
          onGap: (gap) => {
            this.view.gap = { ...gap, initial: Math.max(gap.initial, this.view.gap?.initial ?? 0) };
          },
        });
    } catch (err) {
      lock.destroy(); // never acquired: only the prepared session to drop
      throw err;
    }
    // step() persists the run first: the last write to the survivor before it is locked.
    await this.step('lock', s.name, async () => {
      await lock.acquire();
      this.lock = lock;
      this.view.lockLeaseEndsAt = lock.leaseEndsAt;
      const row = await lock.finalPosition(s.dialect.gtidPositions().sql);
      this.survivorPos = String(row.gtid_binlog_pos ?? row.gtid_executed ?? '').replace(/\s/g, '');
      this.emit();
      this.o.onLocked?.();
      if (this.o.testHoldMs) await new Promise((r) => setTimeout(r, this.o.testHoldMs));
      return `${s.name} read-locked at ${this.survivorPos}`;
    });
  }

  private async switchOver(): Promise<string> {
    const { t, s, o } = this;
    this.requireLock();
    if (this.view.kind === 'restore') {
      const wrote = await o.list.setFenced(
        t.name,
        false,
        `restored from ${s.name} (run ${this.view.runId.slice(0, 8)})`,
        o.actor,
      );
      for (const st of t.dialect.setReadOnly({ on: false })) await onCtx(t, st);
      // Enable the survivor's semi-sync wait while writers are still held: the first commit
      // after the unlock is lossless again. The target is connected and caught up.
      await this.semiSyncBackNow();
      return `${t.name} is active (fence state written on ${wrote}); read_only OFF`;
    }
    const wrote = await o.list.setFenced(
      s.name,
      true,
      `planned switchover to ${t.name} (run ${this.view.runId.slice(0, 8)})`,
      o.actor,
    );
    return `${s.name} fenced for maintenance, ${t.name} is active (fence state written on ${wrote})`;
  }

  private semiSyncDone = false;
  private async semiSyncBackNow(): Promise<void> {
    const [r] = await onCtx<{ replica_enabled: unknown }>(
      this.t,
      this.t.dialect.semiSyncReplicaEnabled(),
    ).catch(() => [undefined]);
    if (Number(r?.replica_enabled) !== 1) return;
    await this.o.list.onNode(this.s.node, (db) =>
      exec(db, this.s.dialect.setSemiSyncSourceWait({ on: true })),
    );
    this.semiSyncDone = true;
  }
}
