import { join } from 'node:path';
import { CLUSTER_NAME, EVS_OPTIONS, wsrepStatus } from './galera.ts';
import { inNs, member } from './netns.ts';
import { freePort } from './ports.ts';
import { procState, spawnDetached, waitUntil } from './process.ts';
import { type LabState, writeState } from './state.ts';

export const GARBD = '/usr/bin/garbd';

/**
 * The Galera arbitrator: a vote in the cluster without data, so two nodes keep a majority.
 * `peers`: the nodes' group communication addresses (host:port). With --netns it runs in a
 * namespace of its own (member `garb`), so it can be partitioned like a node.
 */
export async function launchArbitrator(state: LabState, peers: string[]): Promise<void> {
  const port = await freePort();
  const host = state.net ? member(state.net, 'garb').ip : '127.0.0.1';
  const log = join(state.dir, 'garbd.log');
  const own = [
    '--address',
    `gcomm://${peers.join(',')}`,
    '--group',
    CLUSTER_NAME,
    '--name',
    'garb',
    '--options',
    `gmcast.listen_addr=tcp://${host}:${port};${EVS_OPTIONS}`,
  ];
  const { cmd, args } = inNs(state.net, 'garb', GARBD, own);
  const pid = spawnDetached(cmd, args, log);
  state.galera = { ...state.galera!, arbitrator: { pid, host, port } };
  state.procs = { ...state.procs, garb: { cmd, args, log } };
  writeState(state);
  await waitUntil(
    'garbd to join the cluster',
    async () => (await clusterSize(state)) >= peers.length + 1,
    30_000,
    () => procState(pid) !== 'down',
  );
}

async function clusterSize(state: LabState): Promise<number> {
  const s = await wsrepStatus(state.nodes[0]!);
  return Number(s.wsrep_cluster_size ?? 0);
}
