import 'server-only';
import type { ConnectionList } from '@/lib/db/connection-list';
import { controlFor, runControl, unlogged } from './control';
import type { JobLog } from './job';
import { probeWsrep } from './probe';
import { progressWords, type TransferProgress, transferProgress } from './progress';
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
      const file = hasFile
        ? await runControl(node, 'progress', unlogged, 10_000, false).catch(() => null)
        : null;
      const r = await probeWsrep(list.node(node).handle.config, 800);
      const joiner = r.ok ? r.status : null;
      if (joiner && start === null) start = joiner.lastCommitted;
      const p = transferProgress({ node, file, joiner, clusterSeqno: clusterSeqno(list), startSeqno: start });
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
