import type { KamailioStats } from '@/lib/sip/stats';

// Kamailio's JSON-RPC numbers in plain words for the health page. Pure.

export function duration(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d) return `${d} d ${h} h`;
  if (h) return `${h} h ${m} min`;
  if (m) return `${m} min ${Math.floor(seconds % 60)} s`;
  return `${Math.floor(seconds)} s`;
}

const mb = (b: number) => `${(b / 1048576).toFixed(1)} MB`;

export function kamailioWords(s: KamailioStats): string[] {
  const lines: string[] = [];
  if (s.version) lines.push(`Running ${s.version.replace(/\s*\(.*$/, '')}`);
  if (s.uptimeSeconds !== null) lines.push(`Up for ${duration(s.uptimeSeconds)}`);
  if (s.shm)
    lines.push(
      `Shared memory ${Math.round(s.shm.usedPct)} % used (${mb(s.shm.usedBytes)} of ${mb(s.shm.totalBytes)})` +
        (s.shm.usedPct >= 90 ? ': nearly full, raise -m' : ''),
    );
  if (s.tm) {
    lines.push(`${s.tm.current} transactions in progress, ${s.tm.waiting} waiting to be freed`);
    const errors = s.tm.replied4xx + s.tm.replied5xx + s.tm.replied6xx;
    lines.push(
      `${s.tm.total} transactions since start; ${s.tm.replied2xx} answered 2xx, ${errors} answered with an error`,
    );
  }
  return lines;
}
