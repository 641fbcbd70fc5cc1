import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { procState, waitUntil } from './process.ts';

export const KAMAILIO = 'kamailio';
export const MODULES = '/usr/lib/x86_64-linux-gnu/kamailio/modules';
const TEMPLATE = fileURLToPath(new URL('./kamailio.cfg.tmpl', import.meta.url));

export interface KamailioVars {
  name: string;
  node: string;
  serverId: number;
  sipPort: number;
  rpcPort: number;
  domain: string;
  dbUrl: string;
  /** db_cluster lines, or a comment (lab/kamailio-dbcl.ts). */
  dbCluster?: string;
  dbTimeout?: number;
  /** The auth module's nonce secret, the same on every site. */
  authSecret?: string;
  modules?: string;
  /** Address to listen on (127.0.0.1, or the SIP server's own address with --netns). */
  listen?: string;
  /** usrloc's timer (s); it also deletes expired `location` rows. 0: this server never purges. */
  ulTimer?: number;
  /** The first stage in front of this server (a cluster lab): calls go through it both ways. */
  firstStage?: { host: string; port: number };
}

function firstStageDefines(f: KamailioVars['firstStage']): string {
  if (!f) return '# none';
  return [
    '#!define WITH_FIRST_STAGE',
    `#!define FIRST_STAGE_HOST "${f.host}"`,
    `#!define FIRST_STAGE_PORT ${f.port}`,
    `#!define FIRST_STAGE_URI "sip:${f.host}:${f.port}"`,
  ].join('\n');
}

/** Replaces {{KEY}} placeholders; an unknown or leftover placeholder is a bug, so it throws. */
export function renderTemplate(tmpl: string, vars: Record<string, string | number>): string {
  const out = tmpl.replace(/\{\{([A-Z_]+)\}\}/g, (_, key: string) => {
    if (!(key in vars)) throw new Error(`template variable ${key} has no value`);
    return String(vars[key]);
  });
  return out;
}

export function renderConfig(v: KamailioVars, tmpl = readFileSync(TEMPLATE, 'utf8')): string {
  return renderTemplate(tmpl, {
    NAME: v.name,
    NODE: v.node,
    SERVER_ID: v.serverId,
    SIP_PORT: v.sipPort,
    RPC_PORT: v.rpcPort,
    DOMAIN: v.domain,
    DB_URL: v.dbUrl,
    LISTEN: v.listen ?? '127.0.0.1',
    DB_CLUSTER: v.dbCluster ?? '# one database: no db_cluster',
    DB_TIMEOUT: v.dbTimeout ?? 2,
    AUTH_SECRET: v.authSecret ?? 'sipha-lab-nonce',
    MODULES: v.modules ?? MODULES,
    UL_TIMER: v.ulTimer ?? 60,
    FIRST_STAGE: firstStageDefines(v.firstStage),
  });
}

/**
 * Foreground (-DD), log to stderr (-E) which goes to the log file. Shared memory (-m, MB): a
 * SIP server answers REGISTERs statelessly and 64 MB is plenty; a stateful proxy (the first
 * stage, the edge) keeps every transaction in it until tm's wait timer (5 s) after its final
 * reply: measured on the first stage at 280 REGISTER/s, 2,800 transactions and 47 MB, so 64 MB
 * ran out as soon as the SIP servers slowed down (a shard move), and it answered
 * "500 I'm terribly sorry" for want of memory. Such a proxy gets 256 MB.
 */
export function kamailioArgs(cfg: string, runDir: string, shmMb = 64): string[] {
  return ['-DD', '-E', '-f', cfg, '-Y', runDir, '-m', String(shmMb), '-M', '8'];
}

/** Shared memory for a stateful proxy in front of SIP servers (see kamailioArgs). */
export const PROXY_SHM_MB = 256;

/** One raw SIP OPTIONS over UDP; resolves with the status code of the answer. */
export function sipOptions(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<number> {
  return new Promise((resolve, reject) => {
    const sock = createSocket('udp4');
    const timer = setTimeout(() => {
      sock.close();
      reject(new Error('no answer to OPTIONS'));
    }, timeoutMs);
    sock.on('message', (msg) => {
      clearTimeout(timer);
      sock.close();
      resolve(Number(/^SIP\/2\.0 (\d{3})/.exec(msg.toString())?.[1] ?? 0));
    });
    // A SIP server in a namespace of its own is reached over the lab's bridge, from any address.
    sock.bind(0, host.startsWith('127.') ? host : undefined, () => {
      const lp = sock.address().port;
      const tag = Math.random().toString(36).slice(2);
      const msg = [
        `OPTIONS sip:${host}:${port} SIP/2.0`,
        `Via: SIP/2.0/UDP ${host}:${lp};branch=z9hG4bK${tag};rport`,
        'Max-Forwards: 70',
        `From: <sip:lab@${host}>;tag=${tag}`,
        `To: <sip:${host}:${port}>`,
        `Call-ID: ${tag}@lab`,
        'CSeq: 1 OPTIONS',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      sock.send(msg, port, host);
    });
  });
}

export async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', method, params, id: 1 }),
    signal: AbortSignal.timeout(2000),
  });
  const body = (await res.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(body.error.message);
  return body.result;
}

export async function waitKamailio(
  sipPort: number,
  rpcUrl: string,
  pid: number,
  timeoutMs = 30_000,
  host = '127.0.0.1',
) {
  const alive = () => procState(pid) !== 'down';
  await waitUntil(
    `kamailio OPTIONS on ${sipPort}`,
    async () => (await sipOptions(sipPort, host)) === 200,
    timeoutMs,
    alive,
  );
  await waitUntil(
    `kamailio RPC ${rpcUrl}`,
    async () => (await rpc(rpcUrl, 'core.version')) != null,
    timeoutMs,
    alive,
  );
}
