import { join } from 'node:path';
import { CLUSTER_NAME, EVS_OPTIONS, wsrepStatus } from './galera.ts';
import { freePort } from './ports.ts';
import { procState, spawnDetached, waitUntil } from './process.ts';
import { type LabState, writeState } from './state.ts';

export const GARBD = '/usr/bin/garbd';

/** The Galera arbitrator: a vote in the cluster without data, so two nodes keep a majority. */
export async function launchArbitrator(state: LabState, peers: number[]): Promise<void> {
  const port = await freePort();
  const log = join(state.dir, 'garbd.log');
  const args = [
    '--address',
    `gcomm://${peers.map((p) => `127.0.0.1:${p}`).join(',')}`,
    '--group',
    CLUSTER_NAME,
    '--name',
    'garb',
    '--options',
    `gmcast.listen_addr=tcp://127.0.0.1:${port};${EVS_OPTIONS}`,
  ];
  const pid = spawnDetached(GARBD, args, log);
  state.galera = { ...state.galera!, arbitrator: { pid, port } };
  state.procs = { ...state.procs, garb: { cmd: GARBD, args, log } };
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
