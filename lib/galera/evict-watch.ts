import 'server-only';
import type { NodeConfig } from '@/lib/config/schema';
import { isLostSession } from '@/lib/db/classify';
import { openSession, type Session } from '@/lib/db/sessions';

// Knowing at once that a member's process died, instead of at the next probe round (up to a
// probe interval later, 100 ms on average at 250 ms): one session per Primary member, parked in
// SELECT SLEEP(1) again and again. When the process dies, its kernel closes the socket and the
// statement fails at once with a lost connection. That only asks the writer to look now (a
// fresh wsrep probe); whether to evict is decided there as before, on a refused port and the
// other conditions. A server that reports its own shutdown or a killed session (1053, 1927)
// is not a lost process, nor is a statement that times out (a stopped or slow node).

const SLEEP_S = 1;
/** A watch ends when no sample renewed it for this long (the connection list closed). */
const LEASE_MS = 2000;

export class ProcessWatch {
  /** Node name → until when its watch runs (Date.now()). */
  private readonly leases = new Map<string, number>();

  constructor(private readonly onLost: (name: string) => void) {}

  /** Watches this node (renewing the lease), starting a session when none runs. */
  keep(config: NodeConfig, connectTimeoutMs: number): void {
    const running = this.leases.has(config.name);
    this.leases.set(config.name, Date.now() + LEASE_MS);
    if (!running) void this.run(config, connectTimeoutMs);
  }

  private async run(config: NodeConfig, connectTimeoutMs: number): Promise<void> {
    const name = config.name;
    let s: Session | null = null;
    try {
      s = await openSession(config, {
        connectTimeoutMs,
        statementTimeoutMs: SLEEP_S * 1000 + connectTimeoutMs,
        database: false,
      });
      while ((this.leases.get(name) ?? 0) > Date.now()) await s.rows(`SELECT SLEEP(${SLEEP_S})`);
      await s.close();
    } catch (err) {
      s?.destroy();
      if (isLostSession(err)) this.onLost(name);
    } finally {
      this.leases.delete(name);
    }
  }
}
