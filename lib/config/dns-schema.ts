import { z } from 'zod';

// The `dns` section of sipha.config.json: where the DNS page resolves from, how long a failover
// may take, and (optionally) the TSIG key for drains. Like ./schema.ts, free of `server-only`.

const host = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.:\-[\]]+$/, 'a host name or IP address');
const port = z.coerce.number().int().min(1).max(65535).default(53);
const server = z.object({ host, port });

export const dnsConfigSchema = z.object({
  /** DNS servers the page asks, like a phone would (host and port). */
  servers: z.array(server).min(1),
  /** The operator's failover budget: a TTL longer than this gets a warning. */
  failoverBudgetSec: z.coerce.number().int().min(1).max(86_400).default(30),
  /** RFC 2136 updates for drain and restore; without it the page only shows. */
  update: z
    .object({
      server,
      zone: host,
      keyName: z.string().regex(/^[A-Za-z0-9.-]{1,253}$/, 'a TSIG key name such as sipha-lab'),
      /** HMAC-SHA256 secret, base64; may come from SIPHA_DNS_TSIG_SECRET instead. */
      keySecret: z.string().regex(/^[A-Za-z0-9+/]{16,}={0,2}$/, 'a base64 TSIG secret'),
    })
    .optional(),
  /** Kamailio proxies that forward to the SIP domains by DNS (checked for known DNS bugs). */
  edges: z.array(z.object({ name: z.string().min(1).max(32), rpcUrl: z.url() })).default([]),
  /** Lower a dead server's SRV priority by itself (off unless set). */
  autoLower: z
    .object({
      enabled: z.boolean().default(false),
      /** The server must fail this long before it is lowered. */
      afterSec: z.coerce.number().int().min(5).max(3600).default(30),
      /** It must be up this long before it is raised again (anti-flapping). */
      holdSec: z.coerce.number().int().min(5).max(86_400).default(120),
    })
    .prefault({}),
});

export type DnsConfig = z.infer<typeof dnsConfigSchema>;
