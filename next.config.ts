import type { NextConfig } from 'next';
import { IMPORT_MAX_BYTES } from './lib/users/import-limit';

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // forbidden()/unauthorized() give server actions and pages a real 403/401.
  // proxyClientMaxBodySize: with a proxy, Next reads a request body only up to this size and
  // cuts the rest silently; a user import up to IMPORT_MAX_BYTES must arrive whole.
  experimental: { authInterrupts: true, proxyClientMaxBodySize: IMPORT_MAX_BYTES },
  // Types are checked once, by `tsc` in the static suite of `npm test`, over the whole repository.
  typescript: { ignoreBuildErrors: true },
  serverExternalPackages: ['mysql2', 'prom-client'],
  // Lab and tests may run several consoles from one checkout; each gets its own build folder.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // An admin console: never framed (clickjacking on "Unfence"), no MIME sniffing, no referrer
  // leaking node names to other sites. The Content-Security-Policy (a nonce per request) and
  // HSTS (from the run-time config) are set in proxy.ts.
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'same-origin' },
        ],
      },
    ];
  },
};

export default nextConfig;
