import 'server-only';
import { Worker } from 'node:worker_threads';
import type { NodeConfig } from '@/lib/config/schema';
import { logError } from '@/lib/errors';
import { mapConnections } from '@/lib/sip/dbcl';
import { HARD_CONNECTION_CODES } from '../classify';
import { DRIVER_OPTIONS } from '../driver';
import { decide } from './decision';
import { type DecideOptions, now, type SipObs, type Snapshot, type Verdict } from './types';

// The connection list's prober: a worker thread probes every node and asks every SIP server
// (./probe-worker.js), and each snapshot it sends becomes a verdict per node (./decision.ts).
// The main thread only reads verdicts: when it is stalled, verdicts wait, but none is made
// wrong by the stall.

/** A SIP server whose db_cluster list the prober reads (JSON-RPC), and its nodes in its order. */
export interface SipView {
  name: string;
  url: string;
  cluster: string;
  order: string[];
}

export interface ProberOptions {
  intervalMs: number;
  timeoutMs: number;
  silenceMs: number;
  /** Empty: the decision rests on the probes and the peers alone. */
  sipServers: SipView[];
}

/** See DecideOptions.sipGraceMs: db_mysql's 3 tries of timeout_interval 1 s, and some room. */
const SIP_GRACE_MS = 3500;

type RawSnapshot = Omit<Snapshot, 'sip'> & { sip: (Omit<SipObs, 'conns'> & { rows: unknown })[] };

export class Prober {
  private worker: Worker | null = null;
  private closed = false;
  private readonly listeners = new Set<() => void>();
  private readonly opts: DecideOptions;
  snapshot: Snapshot | null = null;
  verdicts = new Map<string, Verdict>();

  constructor(
    private readonly nodes: NodeConfig[],
    private readonly o: ProberOptions,
  ) {
    this.opts = {
      silenceMs: o.silenceMs,
      intervalMs: o.intervalMs,
      sipGraceMs: SIP_GRACE_MS,
      addr: new Map(nodes.map((n) => [n.name, { host: n.host, port: n.port }])),
    };
    this.spawn();
  }

  private spawn(): void {
    const workerData = {
      nodes: this.nodes,
      intervalMs: this.o.intervalMs,
      fastMs: Math.min(100, this.o.intervalMs),
      timeoutMs: this.o.timeoutMs,
      sipServers: this.o.sipServers,
      driverOptions: DRIVER_OPTIONS,
      hardCodes: HARD_CONNECTION_CODES,
    };
    // A URL from this module, in this form, so that Next bundles the file as a worker entry
    // and tsx or vitest find it beside this one, whatever the working directory.
    const w = new Worker(new URL('./probe-worker.js', import.meta.url), { workerData });
    w.unref();
    w.on('message', (m: { type: string; snap: RawSnapshot }) => {
      if (m.type !== 'snapshot') return;
      const { sip, ...rest } = m.snap;
      const snap: Snapshot = {
        ...rest,
        sip: sip.map(({ rows, ...o }) => ({ ...o, conns: rows === null ? null : mapConnections(rows) })),
      };
      this.snapshot = snap;
      this.verdicts = new Map(decide(snap, this.opts).map((v) => [v.name, v]));
      for (const l of this.listeners) l();
    });
    w.on('error', (e) => logError('prober failed', e));
    w.on('exit', () => {
      // A prober that dies would leave the list blind: start a new one.
      if (!this.closed) setTimeout(() => !this.closed && this.spawn(), 1000).unref();
    });
    this.worker = w;
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Resolves on the first snapshot where `done` holds, or after maxMs. */
  private waitFor(done: () => boolean, maxMs: number): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        off();
        resolve();
      };
      const timer = setTimeout(finish, maxMs);
      const off = this.onChange(() => done() && finish());
    });
  }

  /**
   * The first round: every node answered, failed, or was judged. Bounded, with room for the
   * worker to start on a busy machine (it loads mysql2 first).
   */
  firstRound(): Promise<void> {
    const known = (name: string) => {
      const o = this.snapshot?.nodes.find((n) => n.name === name);
      const v = this.verdicts.get(name);
      return (
        !!o && (o.lastOkAt !== null || o.hardFail !== null || v?.state === 'down' || v?.state === 'cut-off')
      );
    };
    return this.waitFor(
      () => this.nodes.every((n) => known(n.name)),
      5000 + this.o.timeoutMs + 3 * this.o.silenceMs,
    );
  }

  /**
   * After a statement failed on a node: a fresh probe now, then its answer, a hard failure, or
   * the evidence's verdict (bounded by maxMs; still "suspect" when evidence is incomplete).
   */
  async confirm(name: string, maxMs: number): Promise<Verdict> {
    const t0 = now();
    this.worker?.postMessage({ probe: name });
    const settled = () => {
      const v = this.verdicts.get(name);
      const o = this.snapshot?.nodes.find((n) => n.name === name);
      if (!v || !o) return false;
      if (v.state === 'down' || v.state === 'cut-off') return true;
      return v.state === 'up' && o.lastOkAt !== null && o.lastOkAt >= t0;
    };
    await this.waitFor(settled, maxMs);
    return this.verdicts.get(name) ?? { name, state: 'suspect', words: 'no probe result yet' };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    await this.worker?.terminate();
  }
}
