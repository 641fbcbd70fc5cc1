import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './ports.ts';
import { ours, spawnDetached, terminate } from './process.ts';
import type { LabState } from './state.ts';

export const BARESIP = 'baresip';

export interface Phone {
  user: string;
  dir: string;
  pid: number;
  log: string;
  stop: () => Promise<void>;
}

/**
 * A real softphone (Debian's baresip) that finds the SIP servers of the lab's domain through
 * the lab's DNS server (NAPTR, SRV, A), registers every `regint` seconds and answers calls.
 * No audio device: calls are answered with the ausine/aufile-free null path.
 */
export async function startPhone(
  state: LabState,
  opts: { username: string; password: string; regint?: number; sipTrace?: boolean },
): Promise<Phone> {
  if (!state.dns) throw new Error('the phone resolves through the lab DNS server: start the lab with dns');
  const dir = join(state.dir, `baresip-${opts.username}`);
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  writeFileSync(
    join(dir, 'config'),
    [
      'poll_method epoll',
      `sip_listen 127.0.0.1:${port}`,
      `dns_server ${state.dns.host}:${state.dns.port}`,
      'module_path /usr/lib/baresip/modules',
      'module account.so',
      'module g711.so',
      'module_app menu.so',
      'audio_player aufile,/dev/null',
      'audio_source aufile,/dev/null',
      'audio_alert aufile,/dev/null',
      '',
    ].join('\n'),
  );
  // auth_pass lives in a file of mode 0600 and is never put on a command line.
  const account = `<sip:${opts.username}@${state.domain}>;auth_pass=${opts.password};regint=${opts.regint ?? 60};answermode=auto`;
  writeFileSync(join(dir, 'accounts'), `${account}\n`, { mode: 0o600 });
  const log = join(dir, 'baresip.log');
  const args = ['-f', dir, ...(opts.sipTrace ? ['-s'] : [])];
  const pid = spawnDetached(BARESIP, args, log);
  const stop = async () => {
    if (ours(pid, BARESIP)) await terminate(pid, true, 2000);
  };
  return { user: opts.username, dir, pid, log, stop };
}
