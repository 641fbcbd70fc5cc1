// The chaos harness's baseline: the detector sipha had before issue 12, run as an observer on
// the same schedule in the same process. One probe per node every 250 ms on the console's own
// event loop, on a fresh connection bounded by 800 ms; the first probe of the writer that fails
// (refused or timed out) is a failover. It does not move writes; it records when it would have.
import { createConnection } from 'mysql2';
import type { LabState } from '../../lab/index.ts';

function probe(opts: { host: string; port: number; user: string; password: string }, ms: number) {
  return new Promise<boolean>((resolve) => {
    let done = false;
    const conn = createConnection({ ...opts, database: 'kamailio', connectTimeout: ms });
    const finish = (ok: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (ok) conn.end(() => undefined);
      else conn.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), ms);
    conn.on('error', () => finish(false));
    conn.query({ sql: 'SELECT 1', timeout: ms }, (err) => finish(!err));
  });
}

export class SingleProbeDetector {
  private timer: NodeJS.Timeout | null = null;
  private writer = 0;
  private probing = false;
  /** When it would have failed over in the current round (performance.now()). */
  failoverAt: number | null = null;

  constructor(private readonly state: LabState) {}

  start(): void {
    const { user, password } = this.state.db.sipha;
    this.timer = setInterval(async () => {
      if (this.probing) return;
      this.probing = true;
      const n = this.state.nodes[this.writer];
      const ok = n ? await probe({ host: n.host, port: n.port, user, password }, 800) : true;
      this.probing = false;
      if (!ok && this.failoverAt === null && this.writer + 1 < this.state.nodes.length) {
        this.failoverAt = performance.now();
        this.writer++;
      }
    }, 250);
  }

  /** A new round: the writer is the first node again (as after a restore). */
  reset(): void {
    this.writer = 0;
    this.failoverAt = null;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
