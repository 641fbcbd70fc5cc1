import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ours, spawnDetached, terminate } from './process.ts';
import type { LabState } from './state.ts';

export const BARESIP = 'baresip';

export interface Phone {
  user: string;
  dir: string;
  pid: number;
  log: string;
  /** What the phone has done so far, counted from its own output (see phoneEvents). */
  events: () => PhoneEvents;
  stop: () => Promise<void>;
}

export interface PhoneEvents {
  /** 2xx answers to its REGISTERs (baresip prints one when the status changes, so 1 once registered). */
  registered: number;
  /** Calls it answered and that got established ("Call established"; the lab's phone never calls out). */
  answered: number;
  /** Calls the other side ended with a BYE (re's sipsess reports it as ECONNRESET). */
  ended: number;
}

/**
 * Counts from baresip 1.0's console output:
 *   `user1042@lab.sipha.test: {0/UDP/v4} 200 OK (kamailio (5.6.3 (x86_64/linux))) [1 binding]`
 *   `user1042@lab.sipha.test: Call established: sip:user1000@127.0.0.1:5062`
 *   `sip:user1000@lab.sipha.test: session closed: Connection reset by peer`
 * A call that failed any other way closes with another reason. ("Call with … terminated" is
 * no use: baresip prints it only for calls that lasted a whole second.)
 */
export function phoneEvents(output: string): PhoneEvents {
  const lines = output.split('\n');
  const count = (re: RegExp) => lines.filter((l) => re.test(l)).length;
  return {
    registered: count(/: \{\d+\/[A-Z]+\/v[46]\} 2\d\d .*\[\d+ bindings?\]/),
    answered: count(/: Call established: /),
    ended: count(/: session closed: Connection reset by peer/),
  };
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
  writeFileSync(
    join(dir, 'config'),
    [
      'poll_method epoll',
      // Port 0: UDP, TCP and TLS each take a port of their own from the kernel. A fixed port P
      // also binds TLS on P + 1, which a free P does not make free (the phone then never starts).
      'sip_listen 127.0.0.1:0',
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
  const events = () => phoneEvents(existsSync(log) ? readFileSync(log, 'utf8') : '');
  return { user: opts.username, dir, pid, log, events, stop };
}
