import 'server-only';
import { clusters, connectionListOf } from '@/lib/clusters/registry';
import { getConfig } from '@/lib/config/load';
import type { ConnectionList } from '@/lib/db';
import { notFirstNodeWarning } from '@/lib/db/runtime';
import { fieldErrors } from '@/lib/field-errors';
import { groupByOwner } from '@/lib/shards/owner';
import { type BatchRow, writeBatch } from './batch';
import { readCsv } from './csv';
import { digestHashes } from './hash';
import { userRules } from './rules';

// Bulk import of `username,password[,domain]` lines (header optional), streamed: lines are
// validated as they arrive, valid ones written in batches, invalid ones reported by line.

/** The longest the import works without letting other requests in. */
const SLICE_MS = 4;

export interface ImportProgress {
  bytes: number;
  lines: number;
  inserted: number;
  updated: number;
  unchanged: number;
  confirmed: number;
  invalid: number;
}

export interface ImportSummary extends ImportProgress {
  errors: { line: number; reason: string }[];
  /** More invalid lines than listed. */
  errorsTruncated: boolean;
  nodes: string[];
  warning?: string;
  /** True when the file changed nothing (e.g. imported a second time). */
  noChange: boolean;
}

export async function importUsers(opts: {
  input: AsyncIterable<Uint8Array>;
  defaultDomain?: string;
  batchSize?: number;
  maxErrors?: number;
  onProgress?: (p: ImportProgress) => void | Promise<void>;
}): Promise<ImportSummary> {
  const cfg = getConfig();
  const rules = userRules({ domains: cfg.domains, passwordMinLength: cfg.users.passwordMinLength });
  const defaultDomain = opts.defaultDomain ?? cfg.domains[0]!;
  const batchSize = opts.batchSize ?? 2000;
  const maxErrors = opts.maxErrors ?? 1000;
  const s: ImportSummary = {
    bytes: 0,
    lines: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    confirmed: 0,
    invalid: 0,
    errors: [],
    errorsTruncated: false,
    nodes: [],
    noChange: false,
  };
  const seen = new Set<string>(); // keys only: a duplicate later in the file is an error, not a flip-flop
  const nodes = new Set<string>();
  let batch: BatchRow[] = [];
  let first = true;

  const reject = (line: number, reason: string) => {
    s.invalid++;
    if (s.errors.length < maxErrors) s.errors.push({ line, reason });
    else s.errorsTruncated = true;
  };
  const write = async (rows: BatchRow[]) => {
    // Each user's rows go to the cluster that owns it (issue 14); one cluster: one group.
    for (const [cluster, part] of await groupByOwner(rows))
      await writeTo(await connectionListOf(cluster), part);
  };
  const writeTo = async (list: ConnectionList, rows: BatchRow[]) => {
    const { value, node } = await writeBatch({
      list,
      rows,
      storePlaintext: cfg.users.storePlaintextPasswords,
    });
    nodes.add(node);
    s.inserted += value.inserted;
    s.updated += value.updated;
    s.unchanged += value.unchanged;
    s.confirmed += value.confirmed;
    for (const c of value.conflicts) reject(c.line, c.reason);
    await opts.onProgress?.({ ...s, errors: undefined } as ImportProgress);
  };
  // One batch is written while the next one is read and hashed; never more than two in the air,
  // so memory stays bounded by two batches whatever the file size.
  let inflight: Promise<void> | undefined;
  const flush = async () => {
    if (!batch.length) return;
    const rows = batch;
    batch = [];
    const p = write(rows);
    p.catch(() => undefined); // observed when awaited below; not an unhandled rejection meanwhile
    if (inflight) await inflight;
    inflight = p;
  };

  // Lines arrive as microtasks, which never let the event loop turn: without a pause, a big
  // upload would hold every other request (health, the node prober) for seconds.
  let slice = performance.now();
  for await (const rec of readCsv(opts.input)) {
    if (performance.now() - slice > SLICE_MS) {
      // A timer, not setImmediate: the process sleeps a moment, so on a busy machine the OS
      // still treats it as interactive and a waiting request gets its turn promptly.
      await new Promise((r) => setTimeout(r, 1));
      slice = performance.now();
    }
    s.lines = rec.line;
    s.bytes = rec.bytes;
    if (rec.error) {
      reject(rec.line, rec.error);
      continue;
    }
    const f = rec.fields.map((x) => x.trim());
    if (first && f[0]?.toLowerCase() === 'username' && f[1]?.toLowerCase() === 'password') {
      first = false;
      continue;
    }
    first = false;
    if (f.length < 2 || f.length > 3) {
      reject(
        rec.line,
        `expected username,password[,domain], got ${f.length} field${f.length === 1 ? '' : 's'}`,
      );
      continue;
    }
    const parsed = rules.passwordForm.safeParse({
      username: f[0],
      password: rec.fields[1],
      domain: f[2] || defaultDomain,
    });
    if (!parsed.success) {
      const errs = fieldErrors(parsed.error);
      reject(
        rec.line,
        Object.entries(errs)
          .map(([k, v]) => `${k}: ${v.join('; ')}`)
          .join(', '),
      );
      continue;
    }
    const { username, domain, password } = parsed.data;
    const key = `${username.toLowerCase()}\u0000${domain.toLowerCase()}`;
    if (seen.has(key)) {
      reject(rec.line, 'username: duplicate of an earlier line');
      continue;
    }
    seen.add(key);
    batch.push({
      line: rec.line,
      username,
      domain,
      password,
      ...digestHashes({ username, domain, password }),
    });
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  await inflight;
  s.nodes = [...nodes];
  // The first node of each cluster is where writes belong.
  s.warning = notFirstNodeWarning(
    s.nodes,
    clusters().map((c) => c.nodes[0]!.name),
  );
  s.noChange = s.inserted + s.updated + s.confirmed === 0;
  return s;
}
