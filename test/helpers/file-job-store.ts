import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROCESS_ID } from '@/lib/jobs/registry';
import type { JobRecord, JobStore } from '@/lib/jobs/store';

// The job store's contract over JSON files in a temporary directory, for the runner's unit
// tests (the console's store is the sipha_job table, tested against a lab node). A new
// instance over the same directory is what a restarted console reads.

export function fileJobStore(dir: string): JobStore {
  const path = (jobId: string) => join(dir, `${jobId}.json`);
  const read = (jobId: string): JobRecord | null =>
    existsSync(path(jobId)) ? (JSON.parse(readFileSync(path(jobId), 'utf8')) as JobRecord) : null;
  const write = (rec: JobRecord) => writeFileSync(path(rec.jobId), JSON.stringify(rec));
  return {
    async save(rec) {
      write({ ...rec, updatedAt: Date.now() });
    },
    async load(jobId) {
      return read(jobId);
    },
    async recent({ kind, limit }) {
      return readdirSync(dir)
        .map((f) => read(f.replace(/\.json$/, '')))
        .filter((r): r is JobRecord => r?.kind === kind)
        .sort((a, b) => b.createdAt - a.createdAt)
        .slice(0, limit);
    },
    async update(jobId, fn) {
      const rec = read(jobId);
      if (!rec) throw new Error(`No job ${jobId}`);
      const next = { ...fn(rec), updatedAt: Date.now() };
      write(next);
      return next;
    },
    async touch(jobId) {
      const rec = read(jobId);
      if (rec?.owner !== PROCESS_ID || rec.step === null) return false;
      write({ ...rec, updatedAt: Date.now() });
      return true;
    },
  };
}
