import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type NextRequest, NextResponse } from 'next/server';

// The per-request headers: Content-Security-Policy with a fresh script nonce, and HSTS where the
// session cookie is Secure (the console is served over HTTPS). Both depend on the request or on
// the config read at run time, so neither can live in next.config.ts, fixed at build time.
// Read the config here directly: lib/config is server-only, which the proxy bundle cannot load.

let hsts: boolean | undefined;

function secureCookie(): boolean {
  if (hsts !== undefined) return hsts;
  let configured: boolean | undefined;
  try {
    // Chosen at run time (as in lib/config/load.ts): not a file the bundler should trace.
    const file = path.resolve(/*turbopackIgnore: true*/ process.env.SIPHA_CONFIG ?? 'sipha.config.json');
    const raw = JSON.parse(readFileSync(file, 'utf8'));
    configured = raw?.session?.secureCookie;
  } catch {
    // no readable config: the console itself will say so
  }
  hsts = typeof configured === 'boolean' ? configured : process.env.NODE_ENV === 'production';
  return hsts;
}

/**
 * Scripts only with this response's nonce: Next reads it from the request's CSP header and puts
 * it on its own bootstrap and chunk scripts ('strict-dynamic' lets those load the rest), so an
 * injected inline script never runs. Styles keep 'unsafe-inline': React writes `style`
 * attributes (progress bars, chart swatches), which a nonce cannot cover. connect-src 'self'
 * keeps a script from sending data anywhere else; form-action stops a form posting elsewhere.
 */
function contentSecurityPolicy(nonce: string): string {
  const dev = process.env.NODE_ENV === 'development' ? " 'unsafe-eval'" : ''; // React's dev tools
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Server-only files the bundler also copies to static media (the detector's worker thread). */
const SERVER_ONLY_MEDIA = /^\/_next\/static\/media\/probe-worker\.[^/]*$/;

export function proxy(request: NextRequest): NextResponse {
  // The server loads the worker from disk; a browser has no business downloading server code.
  if (SERVER_ONLY_MEDIA.test(request.nextUrl.pathname))
    return new NextResponse('not found\n', { status: 404 });
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  const csp = contentSecurityPolicy(nonce);
  const headers = new Headers(request.headers);
  headers.set('content-security-policy', csp);
  const res = NextResponse.next({ request: { headers } });
  res.headers.set('Content-Security-Policy', csp);
  if (secureCookie()) res.headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  return res;
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)', '/_next/static/media/:file(probe-worker\\..*)'],
};
