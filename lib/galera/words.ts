import type { GaleraStatus } from './status';

// What is wrong with a Galera node, in plain words with the fix (pure, unit-tested). The
// durations come from the console's own samples (how long a node has been in its state).

export interface GaleraProblem {
  node: string;
  code:
    | 'unreachable'
    | 'standalone'
    | 'no_primary'
    | 'donor_stuck'
    | 'sst_failed'
    | 'desynced'
    | 'flow_control'
    | 'joining'
    | 'size';
  words: string;
  fix: string;
}

export interface NodeEvidence {
  node: string;
  status: GaleraStatus | null;
  error: string | null;
  /** How long the node has been in its current wsrep_local_state_comment, ms. */
  inStateMs: number;
  /** The last state seen before it became unreachable (Joining/Joiner: an SST that died). */
  lastState: string | null;
}

const STUCK_MS = 120_000;

export function galeraProblems(nodes: NodeEvidence[], configured: number): GaleraProblem[] {
  const out: GaleraProblem[] = [];
  for (const n of nodes) {
    const s = n.status;
    const p = (code: GaleraProblem['code'], words: string, fix: string) =>
      out.push({ node: n.node, code, words, fix });
    if (!s) {
      if (n.error === null && n.lastState === null)
        p(
          'standalone',
          `${n.node} runs without Galera (wsrep off): it is not part of a cluster.`,
          'To form a new cluster from the configured nodes, run Bootstrap a new cluster; to add this node to a running cluster, set wsrep_on=ON in its my.cnf and restart it.',
        );
      else if (n.lastState && /^Join/.test(n.lastState))
        p(
          'sst_failed',
          `${n.node} stopped during its state transfer (SST): it never became Synced.`,
          "Check the SST account (wsrep_sst_auth) and that mariabackup and socat are installed on donor and joiner; see the joiner's error log, then start the node again (Join).",
        );
      else
        p(
          'unreachable',
          `${n.node} does not answer (${n.error ?? 'unreachable'}).`,
          'Start it again; it rejoins by IST or SST. If every node is down, use Recover from a full outage.',
        );
      continue;
    }
    if (s.clusterStatus !== 'Primary')
      p(
        'no_primary',
        `${n.node} is not in the primary component (${s.clusterStatus}): it cannot see a majority of the cluster, so it refuses reads and writes.`,
        'Restore the network between the nodes; it rejoins by itself. If no node is Primary any more, the cluster lost quorum: recover it by bootstrapping the most advanced node.',
      );
    else if (s.localState === 'Donor/Desynced' && s.desyncCount === 0 && n.inStateMs > STUCK_MS)
      p(
        'donor_stuck',
        `${n.node} has been a state-transfer donor for ${Math.round(n.inStateMs / 60_000)} min.`,
        'Check the joiner: if it died, the donor stays desynced until the SST script gives up; restart the joiner, or restart the donor once the other nodes are Synced.',
      );
    else if (s.desyncCount > 0)
      p(
        'desynced',
        `${n.node} is desynced (wsrep_desync=ON): it leaves flow control and falls behind the cluster.`,
        'Once the backup or maintenance is done: SET GLOBAL wsrep_desync=OFF on that node.',
      );
    else if (/^Join/.test(s.localState) && n.inStateMs > STUCK_MS)
      p(
        'joining',
        `${n.node} has been ${s.localState} for ${Math.round(n.inStateMs / 60_000)} min.`,
        "A large SST takes time; if the donor's log shows no progress, restart the joiner.",
      );
    if (s.flowControlPaused > 0.1)
      p(
        'flow_control',
        `Replication was paused by flow control ${Math.round(s.flowControlPaused * 100)} % of the time: a node cannot apply writes fast enough (receive queue ${s.recvQueue}).`,
        'Find the node with the longest receive queue; give it more wsrep_slave_threads or faster disks, or take it out.',
      );
  }
  const sizes = nodes.flatMap((n) => (n.status?.clusterStatus === 'Primary' ? [n.status.clusterSize] : []));
  const size = sizes.length ? Math.max(...sizes) : 0;
  if (size > 0 && size < configured)
    out.push({
      node: '',
      code: 'size',
      words: `The primary component has ${size} of ${configured} configured members.`,
      fix: 'Start or rejoin the missing nodes (Join); remove a node for good with Remove.',
    });
  return out;
}
