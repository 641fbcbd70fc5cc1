import 'server-only';
import { type Kysely, sql } from 'kysely';
import type { ConnectionList, NodeRuntime } from '@/lib/db';
import { errorErrno, isConnectionError } from '@/lib/db/classify';
import { describeConnectionError } from '@/lib/db/probe';
import type { DB } from '@/lib/db/schema';
import { AppError, logError } from '@/lib/errors';
import { every } from '@/lib/every';
import { writeBeat } from './heartbeat';
import { BeatHistory } from './lag';
import { type NodeFacts, readNodeFacts } from './node-facts';

// Background sampler, one independent loop per node (every second): write this node's
// heartbeat, then read its replication facts. Each loop is bounded by its own deadline and
// never waits for another node, so a hung node (SIGSTOP) only makes its own sample go stale; a
// request only ever reads the last samples and never touches a node itself.
//
// Writing the heartbeat is a console write to that node. It is done on the active node and on
// standby nodes (each row is named after the node it is written on, so the nodes never write
// the same row), and NEVER on a fenced or unreachable node.

export const BEAT_INTERVAL_MS = 1000;
/** A sample older than this means the node stopped answering. */
export const STALE_MS = 2500;
const DEADLINE_MS = 1200;

export interface NodeSample {
  facts: NodeFacts | null;
  /** Console clock of the last complete sample. */
  okAt: number | null;
  error: string | null;
  heartbeatSkipped: string | null;
}

export class ReplicationSampler {
  readonly samples = new Map<string, NodeSample>();
  readonly history = new Map<string, BeatHistory>();
  private readonly busy = new Set<string>();
  private seq = 0;
  private stopLoop: (() => void) | null = null;
  /** Called after every node loop, e.g. to push lag into the chart rings. */
  onSample: (() => void) | null = null;

  constructor(private readonly list: ConnectionList) {
    for (const n of list.nodes) {
      this.samples.set(n.handle.name, { facts: null, okAt: null, error: null, heartbeatSkipped: null });
      this.history.set(n.handle.name, new BeatHistory());
    }
  }

  start(): void {
    if (this.stopLoop) return;
    // One round starts every node's sample; each node has its own no-overlap rule (sampleNode).
    this.stopLoop = every(BEAT_INTERVAL_MS, () => {
      for (const n of this.list.nodes) void this.sampleNode(n);
    });
  }

  stop(): void {
    this.stopLoop?.();
    this.stopLoop = null;
  }

  /** True when the node's last sample is recent enough to trust. */
  answering(name: string, now = Date.now()): boolean {
    const s = this.samples.get(name);
    return !!s?.okAt && now - s.okAt <= STALE_MS && !s.error;
  }

  private nextSeq(): number {
    // Time-based so a restarted console keeps rising past the seq the rows already hold.
    this.seq = Math.max(this.seq + 1, Date.now());
    return this.seq;
  }

  async sampleNode(n: NodeRuntime): Promise<void> {
    const name = n.handle.name;
    if (this.busy.has(name)) return; // the previous round is still hanging on this node
    this.busy.add(name);
    const sample = this.samples.get(name)!;
    // Said at once when the node does not answer in time; the loop stays busy until the hung
    // statement really ends (its own timeout), so rounds never pile up on a stopped node.
    const deadline = setTimeout(() => {
      sample.error = `no answer within ${DEADLINE_MS} ms`;
      this.onSample?.();
    }, DEADLINE_MS);
    try {
      const facts = await this.list.on(n).run(async (db) => {
        sample.heartbeatSkipped = this.skipReason(n);
        if (!sample.heartbeatSkipped) {
          // A refused beat (read_only for an account without the bypass privilege, say) must not
          // hide the node's replication status: it is reported, and the reads go on.
          await writeBeat({ db, node: name, seq: this.nextSeq() }).catch((err) => {
            if (isConnectionError(err)) throw err;
            sample.heartbeatSkipped = `the write was refused (${errorErrno(err) === 1290 ? 'read_only' : 'see the console log'})`;
            logError(`heartbeat write refused on ${name}`, err);
          });
        }
        return readNodeFacts({ db, version: n.version ?? (await versionOf(db)) });
      }, DEADLINE_MS);
      sample.facts = facts;
      sample.okAt = Date.now();
      sample.error = null;
      const own = facts.beats.get(name);
      if (own) this.history.get(name)!.record(own);
    } catch (err) {
      sample.error = sampleError(err);
    } finally {
      clearTimeout(deadline);
      this.busy.delete(name);
      this.onSample?.();
    }
  }

  private skipReason(n: NodeRuntime): string | null {
    if (this.list.isFenced(n.handle.name)) return 'fenced: the console never writes to a fenced node';
    if (n.reachable === false) return 'unreachable';
    return null;
  }
}

async function versionOf(db: Kysely<DB>): Promise<string> {
  const r = await sql<{ v: string }>`SELECT VERSION() AS v`.execute(db);
  return r.rows[0]?.v ?? '';
}

/** Words safe for the browser: SQL error text stays in the server log. */
function sampleError(err: unknown): string {
  if (isConnectionError(err)) return describeConnectionError(err);
  if (err instanceof AppError) return err.message;
  logError('replication status sample failed', err);
  return 'the status query failed (details in the console log)';
}
