import type { GaleraStatus } from './status';

// How far a joining node's state transfer is (pure, unit-tested). What MariaDB 10.11 with
// Galera 4 exposes, as measured on the lab (10.11.19, galera 26.4.23):
// - the node's wsrep_status_file (MariaDB 10.9+; read on its host by the `progress` control
//   command): {"status": {"state": "JOINING", "comment": "Receiving IST", "progress": {"total",
//   "done"}}}. The phase is reliable; the progress fields stayed -1 through a 30,000-write-set
//   IST (Galera logged "Receiving IST... 0.0% (0/30003 events)" to the error log only), so a
//   total there is used when present and never assumed.
// - once the joiner's server answers (during IST, after an SST), its wsrep_last_committed against
//   the cluster's, from SHOW STATUS: the seqno range of the IST, the figure used for a share.
// - an SST by mariabackup reports no total the console can read: Galera's fields stay -1, and
//   the script's own `pv` line (with `[sst] progress=`) is cut at 80 columns before its share.
//   What can be read: the bytes the joiner holds in <datadir>/.sst, where wsrep_sst_mariabackup
//   receives the stream (the node's `sstReceived` command, `du -sb`), against the donor's InnoDB
//   tablespaces (SUM(FILE_SIZE) of INNODB_SYS_TABLESPACES but innodb_temporary), which is the
//   script's own estimate ("To transfer: N" in the donor's log) to the byte on the lab. The
//   stream also carries Aria/MyISAM tables and logs, so the share stops at 99 % until the node
//   says it is done. Without the command, an SST shows as "in progress".

export interface TransferProgress {
  node: string;
  /** What transfers: IST, SST, or a catch-up after one (applying the receive queue). */
  phase: string;
  /** 0–100 when it can be known; null while only "in progress" is known. */
  percent: number | null;
  /** Where the figure comes from, in words. */
  source: string;
  at: string;
}

interface StatusFile {
  status?: { state?: string; comment?: string; progress?: { total?: number; done?: number } };
}

export type WsrepStatusFile = NonNullable<StatusFile['status']>;

/** The JSON of a wsrep_status_file; null when it is empty, partial or not that file. */
export function parseStatusFile(text: string): WsrepStatusFile | null {
  try {
    const j = JSON.parse(text) as StatusFile;
    return j && typeof j === 'object' && j.status ? j.status : null;
  } catch {
    return null;
  }
}

const mib = (bytes: number) => `${(bytes / 1048576).toFixed(bytes < 10 * 1048576 ? 1 : 0)} MiB`;

/** The first number `du -sb DIR` prints; null for anything else. */
export function parseDuBytes(text: string): number | null {
  const m = /^\s*(\d+)\s/.exec(text);
  return m ? Number(m[1]) : null;
}

const pct = (done: number, total: number) => Math.max(0, Math.min(100, Math.floor((done * 100) / total)));

export function transferProgress(o: {
  node: string;
  /** The node's wsrep_status_file as parseStatusFile read it, when its host was asked. */
  file: WsrepStatusFile | null;
  /** The node's own wsrep status over SQL, when it answers. */
  joiner: GaleraStatus | null;
  /** The highest wsrep_last_committed of a Synced node in the primary component. */
  clusterSeqno: number | null;
  /** The joiner's wsrep_last_committed when it first answered during this join. */
  startSeqno: number | null;
  /** During an SST: bytes the joiner received so far, and the donor's tablespaces in bytes. */
  sst?: { received: number; total: number } | null;
  now?: Date;
}): TransferProgress | null {
  const at = (o.now ?? new Date()).toISOString();
  const f = o.file;
  const joining = !!f && /JOIN/i.test(f.state ?? '');
  const comment = f?.comment ?? '';
  const filePhase = joining
    ? /IST/.test(comment)
      ? 'IST'
      : /SST|state transfer/i.test(comment)
        ? 'SST'
        : 'state transfer'
    : null;
  const p = f?.progress;
  if (joining && p && typeof p.total === 'number' && typeof p.done === 'number' && p.total > 0)
    return {
      node: o.node,
      phase: filePhase!,
      percent: pct(p.done, p.total),
      source: `${comment || 'Galera progress'}: ${p.done} of ${p.total} (wsrep_status_file)`,
      at,
    };
  if (filePhase === 'SST' && o.sst && o.sst.total > 0 && o.sst.received >= 0)
    return {
      node: o.node,
      phase: 'SST',
      percent: Math.min(99, pct(o.sst.received, o.sst.total)),
      source: `${mib(o.sst.received)} of about ${mib(o.sst.total)} received (the joiner's SST directory against the donor's InnoDB tablespaces)`,
      at,
    };
  const s = o.joiner;
  if (s && s.localState !== 'Synced' && /^Join/.test(s.localState) && o.clusterSeqno !== null) {
    const from = Math.min(o.startSeqno ?? s.lastCommitted, s.lastCommitted);
    const total = o.clusterSeqno - from;
    return {
      node: o.node,
      phase: filePhase ?? (/receiving/i.test(s.localState) ? 'state transfer' : 'catch-up'),
      // Without the seqno it started from, only the distance left is known, not a share.
      percent: o.startSeqno !== null && total > 0 ? pct(s.lastCommitted - from, total) : null,
      source: `seqno ${s.lastCommitted} of ${o.clusterSeqno} (wsrep_last_committed on ${o.node} and on the cluster)`,
      at,
    };
  }
  if (filePhase)
    return {
      node: o.node,
      phase: filePhase,
      percent: null,
      source: `${comment || 'state transfer'}, no total reported (wsrep_status_file)`,
      at,
    };
  return null;
}

/** One line for a job log or a health cell. */
export function progressWords(p: TransferProgress): string {
  return `${p.node}: ${p.phase} ${p.percent === null ? 'in progress' : `${p.percent} %`} — ${p.source}`;
}
