import type { GaleraStatus } from '@/lib/galera/status';

/**
 * A node's wsrep status as the console reads it: a Synced, ready member of a primary component
 * of three, with what a test changes on top. For the unit tests of Galera's words and decisions.
 */
export function syncedStatus(over: Partial<GaleraStatus> = {}): GaleraStatus {
  return {
    clusterSize: 3,
    clusterStatus: 'Primary',
    localState: 'Synced',
    ready: true,
    connected: true,
    flowControlPaused: 0,
    recvQueue: 0,
    sendQueue: 0,
    certFailures: 0,
    lastCommitted: 10,
    clusterUuid: 'u',
    desyncCount: 0,
    incoming: [],
    ...over,
  };
}
