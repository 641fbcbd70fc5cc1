// Pure mapping from raw Kamailio RPC results to the console's plain-words summary. Kept apart
// from the HTTP client so the shapes can be tested against recorded output.

export interface ShmSummary {
  totalBytes: number;
  usedBytes: number;
  freeBytes: number;
  usedPct: number;
}

export interface TmSummary {
  current: number;
  waiting: number;
  total: number;
  totalLocal: number;
  repliesReceived: number;
  repliesGenerated: number;
  repliesSent: number;
  replied2xx: number;
  replied3xx: number;
  replied4xx: number;
  replied5xx: number;
  replied6xx: number;
}

export interface KamailioStats {
  version: string | null;
  uptimeSeconds: number | null;
  shm: ShmSummary | null;
  tm: TmSummary | null;
  /** One line per failed call, e.g. "tm.stats: Method Not Found" (tm not loaded). */
  errors: string[];
}

type Raw = Record<string, unknown>;

const num = (v: unknown): number | null => {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
};
const isObj = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

export function mapVersion({ raw }: { raw: unknown }): string | null {
  // core.version is a bare string ("kamailio 5.6.3 (x86_64/linux) "); older builds wrap it in an array.
  const v = Array.isArray(raw) ? raw[0] : raw;
  return typeof v === 'string' && v.trim() ? v.trim() : null;
}

export function mapUptime({ raw }: { raw: unknown }): number | null {
  return isObj(raw) ? num(raw.uptime) : null;
}

export function mapShm({ raw }: { raw: unknown }): ShmSummary | null {
  if (!isObj(raw)) return null;
  const total = num(raw.total);
  // real_used includes allocator overhead and is what runs out; plain `used` understates it.
  const used = num(raw.real_used) ?? num(raw.used);
  if (total === null || used === null || total <= 0) return null;
  const free = num(raw.free) ?? total - used;
  return {
    totalBytes: total,
    usedBytes: used,
    freeBytes: free,
    usedPct: Math.round((used / total) * 1000) / 10,
  };
}

export function mapTm({ raw }: { raw: unknown }): TmSummary | null {
  if (!isObj(raw)) return null;
  const n = (k: string) => num(raw[k]) ?? 0;
  if (num(raw.current) === null && num(raw.total) === null) return null;
  return {
    current: n('current'),
    waiting: n('waiting'),
    total: n('total'),
    totalLocal: n('total_local'),
    repliesReceived: n('rpl_received'),
    repliesGenerated: n('rpl_generated'),
    repliesSent: n('rpl_sent'),
    replied2xx: n('2xx'),
    replied3xx: n('3xx'),
    replied4xx: n('4xx'),
    replied5xx: n('5xx'),
    replied6xx: n('6xx'),
  };
}
