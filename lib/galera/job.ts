import 'server-only';
import { randomUUID } from 'node:crypto';
import { audit } from '@/lib/audit/log';
import { AppError, publicError } from '@/lib/errors';

// One Galera operation at a time, run in the background; the page polls its steps. Every SQL
// statement and command is logged as a step *before* it runs, so the operator sees what is
// about to happen, and the whole log stays visible after it ends.

export interface JobStep {
  seq: number;
  at: string;
  kind: 'sql' | 'command' | 'wait' | 'info' | 'error' | 'done';
  text: string;
}

export interface GaleraJob {
  id: string;
  kind: string;
  actor: string;
  startedAt: string;
  finishedAt: string | null;
  outcome: 'running' | 'ok' | 'failed';
  steps: JobStep[];
}

export type JobLog = (kind: JobStep['kind'], text: string) => void;

const g = globalThis as unknown as { __siphaGaleraJob?: GaleraJob };

export function currentJob(): GaleraJob | null {
  return g.__siphaGaleraJob ? structuredClone(g.__siphaGaleraJob) : null;
}

/** Starts `body` in the background; returns at once. Audited when it ends, either way. */
export function startJob(kind: string, actor: string, body: (log: JobLog) => Promise<string>): GaleraJob {
  if (g.__siphaGaleraJob?.outcome === 'running')
    throw new AppError('conflict:state', `A Galera operation (${g.__siphaGaleraJob.kind}) is still running.`);
  const job: GaleraJob = {
    id: randomUUID(),
    kind,
    actor,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    outcome: 'running',
    steps: [],
  };
  g.__siphaGaleraJob = job;
  const log: JobLog = (k, text) => {
    job.steps.push({ seq: job.steps.length + 1, at: new Date().toISOString(), kind: k, text });
    if (job.steps.length > 500) job.steps.splice(1, 1);
  };
  void body(log).then(
    async (summary) => {
      log('done', summary);
      job.outcome = 'ok';
      job.finishedAt = new Date().toISOString();
      await audit({ actor, action: `galera.${kind}`, target: kind, outcome: 'ok', detail: summary });
    },
    async (err) => {
      const e = publicError(err);
      log('error', e.message);
      job.outcome = 'failed';
      job.finishedAt = new Date().toISOString();
      await audit({ actor, action: `galera.${kind}`, target: kind, outcome: 'failed', detail: e.message });
    },
  );
  return job;
}

/** For tests and the bench: resolves when the current job has ended. */
export async function jobDone(timeoutMs: number): Promise<GaleraJob> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const j = g.__siphaGaleraJob;
    if (j && j.outcome !== 'running') return structuredClone(j);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the Galera operation did not finish in time');
}
