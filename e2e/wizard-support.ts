import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { adminQuery, down, freePort, type LabState, up } from '../lab/index.ts';
import { type Credentials, createAccount } from './support/accounts';
import { startConsole, stopConsole } from './support/console';

// The wizard specs need a fresh lab (no replication yet) and a console of their own.

export interface WizardLab {
  dir: string;
  state: LabState;
  base: string;
  admin: Credentials;
  q: (node: string, sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;
  restartConsole(): Promise<void>;
  stop(): Promise<void>;
}

export async function freshLabWithConsole({ nodes }: { nodes: number }): Promise<WizardLab> {
  const dir = mkdtempSync(join(tmpdir(), 'wz-'));
  const state = await up({ dir, nodes, fresh: true });
  const port = await freePort();
  let proc: ChildProcess | undefined;
  const boot = async () => {
    proc = await startConsole({ configPath: state.configPath, port, logFile: join(dir, 'console.log') });
  };
  await boot();
  const admin = createAccount({ configPath: state.configPath, user: 'wizard-admin', role: 'admin' });
  return {
    dir,
    state,
    base: `http://127.0.0.1:${port}`,
    admin,
    q: (node, sql, params) => adminQuery(dir, node, sql, params),
    async restartConsole() {
      const old = proc!;
      stopConsole(old);
      await expect
        .poll(() => old.exitCode !== null || old.signalCode !== null, { timeout: 20_000 })
        .toBe(true);
      await boot();
    },
    async stop() {
      if (proc) stopConsole(proc);
      await down(dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function signIn(page: Page, lab: WizardLab) {
  await page.goto(`${lab.base}/login`);
  await page.getByLabel('User name').fill(lab.admin.user);
  await page.getByLabel('Password').fill(lab.admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
}

export const stepButton = (page: Page, n: number, title: string) =>
  page
    .getByRole('navigation', { name: 'Wizard steps' })
    .getByRole('button', { name: new RegExp(`^${n}\\. ${title}`) });

/** Opens a step, presses its Run button and waits for the outcome shown in the step list. */
export async function runStep(page: Page, n: number, title: string, outcome: 'done' | 'failed' = 'done') {
  await stepButton(page, n, title).click();
  await expect(stepButton(page, n, title)).toHaveAttribute('aria-current', 'step');
  await page
    .getByRole('button', { name: new RegExp(`^(Run ${title.toLowerCase()}|Run again|Re-check)$`) })
    .click();
  await expect(stepButton(page, n, title)).toContainText(outcome, { timeout: 60_000 });
}

export async function shot(page: Page, name: string) {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });
}
