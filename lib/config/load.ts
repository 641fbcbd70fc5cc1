import 'server-only';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '@/lib/errors';
import { configSchema, type SiphaConfig } from './schema';

// One file, validated by zod; environment variables override single values so that secrets
// can come from the environment instead of the file:
//   SIPHA_CONFIG=path, SIPHA_DOMAINS=a.example,b.example,
//   SIPHA_NODE_<NAME>_{HOST,PORT,USER,PASSWORD,DATABASE} (NAME upper-cased, e.g. SIPHA_NODE_D1_PASSWORD),
//   SIPHA_DNS_TSIG_SECRET (the drain key's secret).

export function configPath(): string {
  // Chosen at run time by the operator; not a file the bundler should trace.
  return path.resolve(/*turbopackIgnore: true*/ process.env.SIPHA_CONFIG ?? 'sipha.config.json');
}

function applyEnv(
  raw: Record<string, unknown>,
  env: Record<string, string | undefined>,
): Record<string, unknown> {
  const out = structuredClone(raw);
  if (env.SIPHA_DOMAINS)
    out.domains = env.SIPHA_DOMAINS.split(',')
      .map((d) => d.trim())
      .filter(Boolean);
  const dns = out.dns as { update?: Record<string, unknown> } | undefined;
  if (env.SIPHA_DNS_TSIG_SECRET && dns?.update) dns.update.keySecret = env.SIPHA_DNS_TSIG_SECRET;
  const nodes = Array.isArray(out.nodes) ? (out.nodes as Record<string, unknown>[]) : [];
  // With clusters[], every cluster's nodes take the same per-node variables.
  for (const c of Array.isArray(out.clusters) ? (out.clusters as { nodes?: unknown }[]) : [])
    if (Array.isArray(c.nodes)) nodes.push(...(c.nodes as Record<string, unknown>[]));
  for (const node of nodes) {
    const prefix = `SIPHA_NODE_${String(node.name).toUpperCase()}_`;
    for (const key of ['host', 'port', 'user', 'password', 'database']) {
      const v = env[prefix + key.toUpperCase()];
      if (v !== undefined) node[key] = v;
    }
  }
  return out;
}

export function parseConfig(raw: unknown, env: Record<string, string | undefined> = {}): SiphaConfig {
  const withEnv = applyEnv((raw ?? {}) as Record<string, unknown>, env);
  const parsed = configSchema.safeParse(withEnv);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new AppError('failed:internal', `Invalid sipha configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

let cached: SiphaConfig | undefined;

export function getConfig(): SiphaConfig {
  if (cached) return cached;
  const file = configPath();
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new AppError('failed:internal', `Cannot read the sipha configuration at ${file}`, { cause: err });
  }
  cached = parseConfig(raw, process.env);
  return cached;
}

/** What a page may show of the configuration: no credentials. */
export function publicConfig(cfg: SiphaConfig = getConfig()) {
  return {
    nodes: cfg.nodes.map(({ name, host, port, database }) => ({ name, host, port, database })),
    sipServers: cfg.sipServers.map(({ name, host, udpPort, tcpPort, serverId, node, rpcUrl }) => ({
      name,
      host,
      udpPort,
      tcpPort,
      serverId,
      node,
      rpc: Boolean(rpcUrl),
    })),
    domains: cfg.domains,
    users: cfg.users,
  };
}
