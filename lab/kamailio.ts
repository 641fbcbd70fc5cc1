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
  modules?: string;
  /** Nonce secret shared by every SIP server, so a challenge from one is accepted by another. */
  authSecret?: string;
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
    MODULES: v.modules ?? MODULES,
    AUTH_SECRET: v.authSecret ?? 'sipha-lab',
  });
}

/** Foreground (-DD), log to stderr (-E) which goes to the log file; small memory. */
export function kamailioArgs(cfg: string, runDir: string): string[] {
  return ['-DD', '-E', '-f', cfg, '-Y', runDir, '-m', '64', '-M', '8'];
}

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
    sock.bind(0, host, () => {
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

export async function waitKamailio(sipPort: number, rpcUrl: string, pid: number, timeoutMs = 30_000) {
  const alive = () => procState(pid) !== 'down';
  await waitUntil(
    `kamailio OPTIONS on ${sipPort}`,
    async () => (await sipOptions(sipPort)) === 200,
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
