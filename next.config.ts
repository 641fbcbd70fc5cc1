import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // The console runs on operators' own machines; nothing may be fetched from outside.
  poweredByHeader: false,
  // forbidden()/unauthorized() give server actions and pages a real 403/401.
  experimental: { authInterrupts: true },
  // Types are checked once, by `tsc` in the static suite of `npm test`, over the whole repository.
  typescript: { ignoreBuildErrors: true },
  serverExternalPackages: ['mysql2', 'prom-client'],
  // Lab and tests may run several consoles from one checkout; each gets its own build folder.
  distDir: process.env.NEXT_DIST_DIR || '.next',
};

export default nextConfig;
