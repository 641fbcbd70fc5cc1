import { afterAll, beforeAll } from 'vitest';
import { getConfig } from '@/lib/config/load';
import { closeConnectionList, getConnectionList } from '@/lib/db';
import type { ConnectionList } from '@/lib/db/connection-list';
import { SipDbSync } from '@/lib/health/sip-db';
import type { SipDbStatus } from '@/lib/health/types';
import type { UpOptions } from '../../lab/index.ts';
import { type Lab, useLab } from './lab';

export interface SipDbLab {
  lab: () => Lab;
  list: () => ConnectionList;
  sync: () => SipDbSync;
  /** The last snapshot of one SIP server's db_cluster view. */
  db: (server: string) => SipDbStatus;
}

/**
 * For a test file about the SIP servers' view of their databases: a lab, the console's
 * connection list on it and a SipDbSync (not started: tests call `sync().round()` themselves),
 * all stopped in afterAll.
 */
export function useSipDbLab(opts: Omit<UpOptions, 'dir'>): SipDbLab {
  const lab = useLab(opts);
  let list: ConnectionList | undefined;
  let sync: SipDbSync | undefined;
  beforeAll(async () => {
    process.env.SIPHA_CONFIG = lab().state.configPath;
    list = await getConnectionList();
    sync = new SipDbSync(list, getConfig());
  });
  afterAll(async () => {
    sync?.stop();
    await closeConnectionList();
  });
  const need = <T>(v: T | undefined, what: string): T => {
    if (!v) throw new Error(`${what} is not set up (beforeAll failed?)`);
    return v;
  };
  return {
    lab,
    list: () => need(list, 'the connection list'),
    sync: () => need(sync, 'SipDbSync'),
    db: (server) => {
      const s = need(sync, 'SipDbSync')
        .snapshot()
        .find((x) => x.server === server);
      if (!s) throw new Error(`no db_cluster view of ${server}`);
      return s;
    },
  };
}
