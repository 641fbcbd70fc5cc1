import type { NextConfig } from 'next';

// Scripts only from the console itself. Next's inline bootstrap scripts need 'unsafe-inline'
// unless every page gets a nonce; connect-src 'self' keeps an injected script from sending data
// anywhere else, and form-action stops a form from posting elsewhere.
const csp = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${process.env.NODE_ENV === 'development' ? " 'unsafe-eval'" : ''}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // forbidden()/unauthorized() give server actions and pages a real 403/401.
  experimental: { authInterrupts: true },
  // Types are checked once, by `tsc` in the static suite of `npm test`, over the whole repository.
  typescript: { ignoreBuildErrors: true },
  serverExternalPackages: ['mysql2', 'prom-client'],
  // Lab and tests may run several consoles from one checkout; each gets its own build folder.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // An admin console: never framed (clickjacking on "Unfence"), no MIME sniffing, no referrer
  // leaking node names to other sites.
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Content-Security-Policy', value: csp },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'same-origin' },
        ],
      },
    ];
  },
};

export default nextConfig;
