import 'server-only';
import { getConfig } from '@/lib/config/load';

/**
 * The client's address as far as it can be known. X-Forwarded-For is any client's to write
 * (Next only fills it in when absent), so it counts only when `trustProxy` says a proxy of ours
 * sets it; otherwise all callers share the one source "direct".
 */
export function clientAddress(headers: Headers, trustProxy = getConfig().trustProxy): string {
  if (!trustProxy) return 'direct';
  // Our proxy appends the address it saw; anything left of it came from the client.
  const last = headers.get('x-forwarded-for')?.split(',').at(-1)?.trim();
  return last ? last.slice(0, 64) : 'direct';
}
