import 'server-only';
import { randomUUID } from 'node:crypto';
import { auditAs } from '@/lib/audit/log';
import { getConnectionList } from '@/lib/db';
import { AppError, publicError } from '@/lib/errors';
import { interruptedJobs, isInterrupted } from '@/lib/jobs/interrupted';
import { ended, jobsOf, publish, runningJobs, track } from '@/lib/jobs/registry';
import { refuseIfKindRunsElsewhere } from '@/lib/jobs/run';
import { runJobStep } from '@/lib/jobs/step';
import { saveJobView, tableStore } from '@/lib/jobs/store';

// One Galera operation at a time, run in the background as a job of kind `galera` (lib/jobs):
// one step, audited once when it ends; the page polls its log. Every SQL statement and command
// is logged *before* it runs, so the operator sees what is about to happen, and the whole log
// stays visible after it ends. The job is stored best-effort (the cluster may be down when a
// recovery starts): a console restart mid-operation leaves it found as interrupted, and the
// operator runs the operation again (each one waits for the states it needs).

export const GALERA_KIND = 'galera';

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
  outcome: 'running' | 'ok' | 'failed' | 'interrupted';
  steps: JobStep[];
}

export type JobLog = (kind: JobStep['kind'], text: string) => void;

/** The operation running now, or the last one this console ran. */
export function currentJob(): GaleraJob | null {
  const j = jobsOf(GALERA_KIND).at(-1);
  return j?.view ? structuredClone(j.view as GaleraJob) : null;
}

let leftBehind: Promise<GaleraJob | null> | undefined;

/**
 * The operation running now or last run here; before any, the one a console that stopped left
 * running (looked up once per process, and only while a node takes writes: never waits).
 */
export async function latestJob(): Promise<GaleraJob | null> {
  const here = currentJob();
  if (here) return here;
  const list = await getConnectionList();
  if (!list.active()) return null;
  leftBehind ??= interruptedJobs({ store: tableStore(list), kind: GALERA_KIND, limit: 5 }).then(
    ([rec]) => {
      if (!rec) return null;
      const job = rec.state as GaleraJob;
      const text =
        'The console stopped during this operation; nothing runs now. Check the nodes and run it again.';
      return {
        ...job,
        outcome: 'interrupted' as const,
        steps: [
          ...job.steps,
          {
            seq: job.steps.length + 1,
            at: new Date(rec.updatedAt).toISOString(),
            kind: 'error' as const,
            text,
          },
        ],
      };
    },
    () => {
      leftBehind = undefined;
      return null;
    },
  );
  return leftBehind;
}

/**
 * Saves the job's record; never fails the operation, and saves run in order. The first save
 * also closes an operation a stopped console left running: this one supersedes it.
 */
function recorder(job: GaleraJob) {
  let chain: Promise<void> = Promise.resolve();
  let first = true;
  return (running: boolean) => {
    const snapshot = structuredClone(job);
    const closeLeftBehind = first;
    first = false;
    chain = chain
      .then(async () => {
        const store = tableStore(await getConnectionList());
        if (closeLeftBehind)
          for (const old of await interruptedJobs({ store, kind: GALERA_KIND }))
            await store.update(old.jobId, (r) =>
              // Checked again under the row lock: one another console took up meanwhile is its own.
              isInterrupted(r) ? { ...r, status: 'interrupted', step: null, finishedAt: Date.now() } : r,
            );
        await saveJobView({
          store,
          jobId: job.id,
          kind: GALERA_KIND,
          status: snapshot.outcome,
          running,
          step: snapshot.kind,
          target: snapshot.kind,
          view: snapshot,
          detail: snapshot.steps.at(-1)?.text ?? '',
          createdBy: snapshot.actor,
          createdAt: Date.parse(snapshot.startedAt),
          finishedAt: snapshot.finishedAt ? Date.parse(snapshot.finishedAt) : null,
        });
      })
      .catch(() => undefined);
  };
}

/**
 * The job store for the heartbeat: best effort, like every save here. While no node takes writes
 * (a recovery from a full outage) a beat is skipped rather than sent to wait for a writer.
 */
const galeraJobs = {
  touch: async (jobId: string) => {
    const list = await getConnectionList();
    return list.active() ? tableStore(list).touch(jobId) : true;
  },
  load: async (jobId: string) => tableStore(await getConnectionList()).load(jobId),
};

/**
 * Refuses while another console process runs a Galera operation and still reports it. With no
 * node taking writes (a full outage) there is nothing to read, and the operator is the one who
 * knows whether another console is at work.
 */
export async function refuseIfRunsElsewhere(): Promise<void> {
  const list = await getConnectionList();
  if (!list.active()) return;
  await refuseIfKindRunsElsewhere(tableStore(list), GALERA_KIND, (r) => `a Galera operation (${r.target})`);
}

/** Starts `body` in the background; returns at once. Audited when it ends, either way. */
export function startJob(kind: string, actor: string, body: (log: JobLog) => Promise<string>): GaleraJob {
  const running = runningJobs(GALERA_KIND)[0];
  if (running)
    throw new AppError(
      'conflict:state',
      `A Galera operation (${(running.view as GaleraJob).kind}) is still running.`,
    );
  const job: GaleraJob = {
    id: randomUUID(),
    kind,
    actor,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    outcome: 'running',
    steps: [],
  };
  const live = track({ jobId: job.id, kind: GALERA_KIND, step: kind, store: galeraJobs });
  leftBehind = Promise.resolve(null);
  publish(job.id, job);
  const save = recorder(job);
  save(true);
  const log: JobLog = (k, text) => {
    job.steps.push({ seq: job.steps.length + 1, at: new Date().toISOString(), kind: k, text });
    if (job.steps.length > 500) job.steps.splice(1, 1);
  };
  live.done = runJobStep({
    kind: GALERA_KIND,
    step: kind,
    target: kind,
    audit: auditAs(actor),
    run: () => body(log),
    end: async (o) => {
      const detail = o.ok ? o.value : publicError(o.error).message;
      log(o.ok ? 'done' : 'error', detail);
      job.outcome = o.ok ? 'ok' : 'failed';
      job.finishedAt = new Date().toISOString();
      ended(job.id);
      save(false);
      return detail;
    },
  }).catch(() => undefined);
  return structuredClone(job);
}

/** For tests and the bench: resolves when the current job has ended. */
export async function jobDone(timeoutMs: number): Promise<GaleraJob> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const j = currentJob();
    if (j && j.outcome !== 'running') return j;
    await new Promise((r) => setTimeout(r, 200));
  }
  const j = currentJob();
  const t0 = j ? Date.parse(j.startedAt) : 0;
  const steps = (j?.steps ?? []).map(
    (s) => `+${((Date.parse(s.at) - t0) / 1000).toFixed(1)} s ${s.kind}: ${s.text}`,
  );
  throw new Error(
    `the Galera operation did not finish within ${timeoutMs / 1000} s; its steps so far:\n${steps.join('\n')}`,
  );
}
