import 'server-only';
import { sql } from 'kysely';
import type { ConnectionList } from '@/lib/db/connection-list';
import { controlFor, runControl, unlogged } from './control';
import type { JobLog } from './job';
import { probeWsrep } from './probe';
import {
  parseDuBytes,
  parseStatusFile,
  progressWords,
  type TransferProgress,
  transferProgress,
} from './progress';
import { writable } from './status';

// Follows one node's state transfer while an operation starts it: the donor's state, and how
// far the transfer is (./progress.ts), logged when it changes and kept for the health page.

const g = globalThis as unknown as { __siphaGaleraTransfers?: Map<string, TransferProgress> };

/** The transfers an operation of this console follows now, by node. */
export function liveTransfers(): Map<string, TransferProgress> {
  g.__siphaGaleraTransfers ??= new Map();
  return g.__siphaGaleraTransfers;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The highest seqno a writable node has committed, from the background samples. */
function clusterSeqno(list: ConnectionList): number | null {
  const seqnos = list.nodes.flatMap((n) => {
    const s = list.galera?.get(n.handle.name).status;
    return s && writable(s) ? [s.lastCommitted] : [];
  });
  return seqnos.length ? Math.max(...seqnos) : null;
}

/**
 * The bytes an SST carries as wsrep_sst_mariabackup estimates them: the InnoDB tablespaces of
 * the donor (the node Donor/Desynced now, else a writable one), temporary tablespace aside.
 */
async function sstTotal(list: ConnectionList, joiner: string): Promise<number | null> {
  const others = list.nodes.filter((n) => n.handle.name !== joiner);
  const state = (n: (typeof others)[number]) => list.galera?.get(n.handle.name).status;
  const donor =
    others.find((n) => state(n)?.localState.startsWith('Donor')) ??
    others.find((n) => {
      const s = state(n);
      return !!s && writable(s);
    });
  if (!donor) return null;
  return list
    .on(donor.handle.name)
    .run(async (db) => {
      const r = await sql<{
        n: string | number | null;
      }>`SELECT SUM(FILE_SIZE) AS n FROM information_schema.INNODB_SYS_TABLESPACES WHERE NAME <> 'innodb_temporary'`.execute(
        db,
      );
      const n = r.rows[0]?.n;
      return n == null ? null : Number(n);
    }, 2000)
    .catch(() => null);
}

/** Starts following `node`; the returned function stops it (and forgets its progress). */
export function watchTransfer(list: ConnectionList, node: string, log: JobLog): () => Promise<void> {
  const hasFile = !!controlFor(node).progress;
  if (hasFile)
    log('info', `${node}: following its state transfer with ${controlFor(node).progress!.join(' ')}`);
  const donors = list.nodes.filter((n) => n.handle.name !== node);
  let watching = true;
  const loop = (async () => {
    const seen = new Map<string, string>();
    let start: number | null = null;
    let total: number | null = null;
    let last = '';
    while (watching) {
      for (const d of donors) {
        const s = list.galera?.get(d.handle.name).status?.localState ?? '';
        if (s && seen.get(d.handle.name) !== s)
          log(
            'wait',
            `${d.handle.name}: ${s}${s.startsWith('Donor') ? ' (sending the state transfer)' : ''}`,
          );
        seen.set(d.handle.name, s);
      }
      const text = hasFile
        ? await runControl(node, 'progress', unlogged, 10_000, false).catch(() => null)
        : null;
      const file = text ? parseStatusFile(text) : null;
      const r = await probeWsrep(list.node(node).handle.config, 800);
      const joiner = r.ok ? r.status : null;
      if (joiner && start === null) start = joiner.lastCommitted;
      // An SST: the bytes received so far against the donor's size (read once per transfer).
      let sst: { received: number; total: number } | null = null;
      const receiving = /SST/.test(file?.comment ?? '');
      if (receiving && controlFor(node).sstReceived) {
        total ??= await sstTotal(list, node);
        const out = await runControl(node, 'sstReceived', unlogged, 10_000, false).catch(() => '');
        const received = parseDuBytes(out);
        if (total !== null && received !== null) sst = { received, total };
      }
      const p = transferProgress({
        node,
        file,
        joiner,
        clusterSeqno: clusterSeqno(list),
        startSeqno: start,
        sst,
      });
      if (p) {
        liveTransfers().set(node, p);
        const words = progressWords(p);
        // A line per phase and per tenth, not per poll.
        const key = `${p.phase} ${p.percent === null ? '' : Math.floor(p.percent / 10)}`;
        if (key !== last) log('wait', words);
        last = key;
      }
      // The progress command is a process on the node's host: every 2 s, not every second.
      await sleep(hasFile ? 2000 : 1000);
    }
  })();
  return async () => {
    watching = false;
    await loop;
    liveTransfers().delete(node);
  };
}
