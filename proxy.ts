import { readFileSync } from 'node:fs';
import { NextResponse } from 'next/server';

// HSTS where the session cookie is Secure (the console is served over HTTPS): the config is
// read at run time, so this header cannot live in next.config.ts, which is fixed at build time.
// Read here directly: lib/config is server-only, which the proxy bundle cannot load.

let hsts: boolean | undefined;

function secureCookie(): boolean {
  if (hsts !== undefined) return hsts;
  let configured: boolean | undefined;
  try {
    const raw = JSON.parse(readFileSync(process.env.SIPHA_CONFIG ?? 'sipha.config.json', 'utf8'));
    configured = raw?.session?.secureCookie;
  } catch {
    // no readable config: the console itself will say so
  }
  hsts = typeof configured === 'boolean' ? configured : process.env.NODE_ENV === 'production';
  return hsts;
}

export function proxy(): NextResponse {
  const res = NextResponse.next();
  if (secureCookie()) res.headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  return res;
}

export const config = { matcher: '/((?!_next/static|_next/image|favicon.ico).*)' };
