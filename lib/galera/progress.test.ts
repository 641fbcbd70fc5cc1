import { describe, expect, it } from 'vitest';
import { parseDuBytes, parseStatusFile, progressWords, transferProgress } from './progress';
import type { GaleraStatus } from './status';

const file = (state: string, comment: string, total: number, done: number) =>
  parseStatusFile(
    JSON.stringify({
      date: '2026-11-30 02:05:44.129',
      status: { state, comment, progress: { from: 3, to: 4, total, done, indefinite: -1 } },
    }),
  );

const status = (localState: string, lastCommitted: number): GaleraStatus => ({
  clusterSize: 3,
  clusterStatus: 'Primary',
  localState,
  ready: false,
  connected: true,
  flowControlPaused: 0,
  recvQueue: 0,
  sendQueue: 0,
  certFailures: 0,
  lastCommitted,
  clusterUuid: 'u',
  desyncCount: 0,
  incoming: [],
});

const now = new Date('2026-11-30T02:00:00Z');

describe('state transfer progress', () => {
  it("takes Galera's IST event counts from the wsrep_status_file, with their source", () => {
    const p = transferProgress({
      node: 'd3',
      file: file('JOINER', 'Receiving IST', 27, 9),
      joiner: null,
      clusterSeqno: null,
      startSeqno: null,
      now,
    });
    expect(p).toEqual({
      node: 'd3',
      phase: 'IST',
      percent: 33,
      source: 'Receiving IST: 9 of 27 (wsrep_status_file)',
      at: now.toISOString(),
    });
    expect(progressWords(p!)).toBe('d3: IST 33 % — Receiving IST: 9 of 27 (wsrep_status_file)');
  });

  it('says "in progress" without a percentage when the transfer reports no total (mariabackup SST)', () => {
    const p = transferProgress({
      node: 'd2',
      file: file('JOINING', 'Receiving SST', -1, -1),
      joiner: null,
      clusterSeqno: 120,
      startSeqno: null,
      now,
    });
    expect(p).toMatchObject({ phase: 'SST', percent: null });
    expect(p?.source).toMatch(/no total reported/);
  });

  it("counts an SST's share from the bytes the joiner received against the donor's tablespaces", () => {
    const at = (received: number) =>
      transferProgress({
        node: 'd3',
        file: file('JOINING', 'Receiving SST', -1, -1),
        joiner: null,
        clusterSeqno: 120,
        startSeqno: null,
        sst: { received, total: 114_245_632 },
        now,
      });
    expect(at(0)).toMatchObject({ phase: 'SST', percent: 0 });
    expect(at(57_122_816)).toMatchObject({
      phase: 'SST',
      percent: 50,
      source:
        "54 MiB of about 109 MiB received (the joiner's SST directory against the donor's InnoDB tablespaces)",
    });
    // Aria tables and logs travel too: past the estimate, it still is not done.
    expect(at(120_000_000)?.percent).toBe(99);
    // No total (the donor did not answer): back to "in progress".
    expect(
      transferProgress({
        node: 'd3',
        file: file('JOINING', 'Receiving SST', -1, -1),
        joiner: null,
        clusterSeqno: null,
        startSeqno: null,
        sst: { received: 5, total: 0 },
        now,
      }),
    ).toMatchObject({ phase: 'SST', percent: null });
    // Bytes are an SST's measure only: an IST keeps its seqnos.
    expect(
      transferProgress({
        node: 'd3',
        file: file('JOINING', 'Receiving IST', -1, -1),
        joiner: status('Joined', 110),
        clusterSeqno: 120,
        startSeqno: 100,
        sst: { received: 5, total: 10 },
        now,
      }),
    ).toMatchObject({ phase: 'IST', percent: 50 });
  });

  it('reads du -sb output, and nothing else', () => {
    expect(parseDuBytes('57122816\t/var/lib/mysql/.sst\n')).toBe(57_122_816);
    expect(parseDuBytes("du: cannot access '/var/lib/mysql/.sst': No such file or directory")).toBeNull();
    expect(parseDuBytes('')).toBeNull();
  });

  it('prefers the seqnos to a status file without a total, keeping the phase the file names', () => {
    const p = transferProgress({
      node: 'd3',
      file: file('JOINING', 'Receiving IST', -1, -1),
      joiner: status('Joining: receiving State Transfer', 10_029),
      clusterSeqno: 30_031,
      startSeqno: 29,
      now,
    });
    expect(p).toMatchObject({ phase: 'IST', percent: 33 });
    expect(p?.source).toBe('seqno 10029 of 30031 (wsrep_last_committed on d3 and on the cluster)');
  });

  it("falls back to the joiner's last committed seqno against the cluster's once it answers", () => {
    const p = transferProgress({
      node: 'd2',
      file: null,
      joiner: status('Joined', 150),
      clusterSeqno: 200,
      startSeqno: 100,
      now,
    });
    expect(p).toMatchObject({ phase: 'catch-up', percent: 50 });
    expect(p?.source).toBe('seqno 150 of 200 (wsrep_last_committed on d2 and on the cluster)');
  });

  it('has nothing to say about a Synced node, a broken file or a node that is not joining', () => {
    const args = { node: 'd1', joiner: status('Synced', 200), clusterSeqno: 200, startSeqno: null, now };
    expect(transferProgress({ ...args, file: parseStatusFile('{"status": {"state": "SYNCED"') })).toBeNull();
    expect(transferProgress({ ...args, file: file('SYNCED', 'Synced', -1, -1) })).toBeNull();
    expect(transferProgress({ ...args, file: null, joiner: status('Donor/Desynced', 200) })).toBeNull();
  });
});
