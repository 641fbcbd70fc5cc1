import { defineConfig } from '@playwright/test';

// End-to-end tests in Debian's Chromium against a real lab (MariaDB nodes in replication,
// Kamailio) and the production build of the console, both started by e2e/support/serve.ts.
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3210);
export const E2E_LAB_DIR = process.env.E2E_LAB_DIR ?? '/tmp/sipha-e2e-lab';

export default defineConfig({
  testDir: './e2e',
  outputDir: './test-artifacts/e2e',
  forbidOnly: !!process.env.CI,
  retries: 0,
  // One lab, one console: specs that kill components run one after another.
  workers: 1,
  fullyParallel: false,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: 'test-artifacts/e2e-results.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    viewport: { width: 1280, height: 860 },
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    },
  },
  webServer: {
    command: `npx tsx e2e/support/serve.ts`,
    url: `http://127.0.0.1:${E2E_PORT}/api/health`,
    env: { E2E_PORT: String(E2E_PORT), E2E_LAB_DIR, NEXT_TELEMETRY_DISABLED: '1' },
    reuseExistingServer: !process.env.CI,
    timeout: 240_000,
    gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
