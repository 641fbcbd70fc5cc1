import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { query } from '../lib/dns/query.ts';
import { TYPE } from '../lib/dns/wire.ts';
import { renderNamedConf, renderZone, type SrvOption } from './dns-zone.ts';
import { freePort } from './ports.ts';
import { procState, spawnDetached, waitUntil } from './process.ts';
import { type LabState, writeState } from './state.ts';

export const NAMED = '/usr/sbin/named';
export const KEY_NAME = 'sipha-lab';

export interface DnsOptions {
  /** One priority:weight per SIP server, in order; default p1 priority 0, p2 priority 1, … */
  srv?: SrvOption[];
  /** Seconds; short so that drains and failovers reach phones fast. */
  ttl?: number;
}

/** Ready when named answers the zone's SOA with NOERROR. */
export async function waitDns(host: string, port: number, zone: string, pid: number): Promise<void> {
  await waitUntil(
    `named on ${host}:${port}`,
    async () => (await query({ host, port }, zone, TYPE.SOA, 500)).rcode === 'NOERROR',
    15_000,
    () => procState(pid) !== 'down',
  );
}

/**
 * BIND 9 serving the lab's SIP domain on a free loopback port, with its own config, zone,
 * journal and pid file in DIR/dns. The TSIG secret is written only to files of mode 0600.
 */
export async function launchDns(state: LabState, opts: DnsOptions = {}): Promise<void> {
  const dir = join(state.dir, 'dns');
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const ttl = opts.ttl ?? 5;
  const keySecret = randomBytes(32).toString('base64');
  const srv = opts.srv ?? state.sip.map((_, i) => ({ priority: i, weight: 10 }));
  const sites = state.sip.map((s, i) => ({ ...s, srv: srv[i] ?? { priority: i, weight: 10 } }));
  writeFileSync(join(dir, `${state.domain}.zone`), renderZone({ zone: state.domain, ttl, sites }));
  const conf = join(dir, 'named.conf');
  const named = { dir, host: '127.0.0.1', port, zone: state.domain, keyName: KEY_NAME, keySecret };
  writeFileSync(conf, renderNamedConf(named), { mode: 0o600 });
  // -g: foreground, log to stderr (the log file); -n 1: one worker thread on a shared machine.
  const args = ['-g', '-n', '1', '-c', conf];
  const log = join(dir, 'named.log');
  const pid = spawnDetached(NAMED, args, log);
  state.dns = { host: '127.0.0.1', port, zone: state.domain, ttl, keyName: KEY_NAME, keySecret, pid, dir };
  state.procs = { ...state.procs, dns: { cmd: NAMED, args, log } };
  writeState(state);
  await waitDns('127.0.0.1', port, state.domain, pid);
}
