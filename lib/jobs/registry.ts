import 'server-only';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { AppError } from '@/lib/errors';
import type { JobStore } from './store';

// The jobs running in this console process, one registry for every kind. It lives on
// globalThis so that Next's dev reloads keep it; a job stored as running whose id is not here
// was interrupted by a console restart (interrupted.ts).

export interface LiveJob {
  jobId: string;
  kind: string;
  /** The step running now, if the kind runs steps one at a time (the wizard). */
  step: string | null;
  /** The latest progress view the kind published, shown instead of the stored one. */
  view: unknown;
  done: Promise<unknown>;
  /** Ended in this process; its last view stays here for the pages. */
  ended: boolean;
  /** The heartbeat touching its stored row while it runs (see `track`). */
  beat?: NodeJS.Timeout;
}

/** How often a running job's row is touched, and how long a row may stay quiet while it runs. */
export const HEARTBEAT_MS = 5_000;
export const STALE_MS = 20_000;

const g = globalThis as unknown as { __siphaJobs?: { processId: string; live: Map<string, LiveJob> } };
g.__siphaJobs ??= { processId: newProcessId(), live: new Map() };
const shared = g.__siphaJobs;

const KEEP = 20;

/** This console process: written as the owner of every step it runs. */
export const PROCESS_ID = shared.processId;

/**
 * "host:pid:nonce", at most 36 characters (sipha_job.owner): another console's page can name the
 * process that runs a job, and a restarted process that got the same pid is still another one.
 */
function newProcessId(): string {
  const host =
    hostname()
      .replace(/[^A-Za-z0-9.-]/g, '')
      .slice(0, 20) || 'host';
  return `${host}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/** A job row's owner in words: "process 4123 on lab1" (an older console's owner id as stored). */
export function processWords(owner: string): string {
  const m = /^(.+):(\d+):[0-9a-f]{6}$/.exec(owner);
  return m ? `process ${m[2]} on ${m[1]}` : `process ${owner}`;
}

/**
 * Registers a job (or its next step) as running here; refuses while it still runs. With its
 * store, its row is touched every HEARTBEAT_MS until it ends (interrupted.ts): another console
 * process sees it runs here, also through a long step, and does not offer to resume it.
 */
export function track({
  jobId,
  kind,
  step = null,
  store,
}: {
  jobId: string;
  kind: string;
  step?: string | null;
  store?: Pick<JobStore, 'touch' | 'load'>;
}): LiveJob {
  if (shared.live.get(jobId)?.ended === false)
    throw new AppError('conflict:state', 'That job is still running.');
  const job: LiveJob = { jobId, kind, step, view: undefined, done: Promise.resolve(), ended: false };
  shared.live.delete(jobId);
  shared.live.set(jobId, job);
  if (store) heartbeat(store, job);
  // Ended jobs stay for their last view; the oldest go once a kind has more than KEEP.
  const old = jobsOf(kind).filter((j) => j.ended);
  for (const j of old.slice(0, Math.max(0, old.length - KEEP))) shared.live.delete(j.jobId);
  return job;
}

/** The job ended here (either way); `view` is its last state. */
export function ended(jobId: string, view?: unknown): void {
  const j = shared.live.get(jobId);
  if (!j) return;
  j.ended = true;
  j.step = null;
  clearTimeout(j.beat);
  if (view !== undefined) j.view = view;
}

/**
 * Touches the row while this process owns a running step of it. Before a step runs there is
 * nothing to report yet; once another console process has taken the job over (this one was
 * stopped past STALE_MS), the row is not touched again, and the log says so. Best effort: a
 * touch that fails (no node takes writes) is tried again at the next beat. The next beat is
 * set once this one has answered, so touches never pile up behind a node that hangs.
 */
function heartbeat(store: Pick<JobStore, 'touch' | 'load'>, job: LiveJob): void {
  const beat = async (): Promise<boolean> => {
    if (await store.touch(job.jobId)) return true;
    const r = await store.load(job.jobId);
    if (!r || r.step === null || r.owner === PROCESS_ID) return true;
    console.warn(
      `[sipha] job ${job.jobId}: ${processWords(r.owner ?? '?')} took it over; this process stops reporting it`,
    );
    return false;
  };
  const next = () => {
    job.beat = setTimeout(() => {
      void beat()
        .catch(() => true)
        .then((again) => {
          if (again && !job.ended) next();
        });
    }, HEARTBEAT_MS);
    job.beat.unref();
  };
  next();
}

/** The job as this process knows it, running or ended. */
export function liveJob(jobId: string): LiveJob | undefined {
  return shared.live.get(jobId);
}

/** The jobs of a kind this process knows, oldest first (the last one started is last). */
export function jobsOf(kind: string): LiveJob[] {
  return [...shared.live.values()].filter((j) => j.kind === kind);
}

/** The jobs of a kind running now in this process. */
export function runningJobs(kind: string): LiveJob[] {
  return [...shared.live.values()].filter((j) => j.kind === kind && !j.ended);
}

/** The latest view of a live job (progress for the pages). */
export function publish(jobId: string, view: unknown): void {
  const j = shared.live.get(jobId);
  if (j) j.view = view;
}
