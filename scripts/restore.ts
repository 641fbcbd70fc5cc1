// Restore a fenced node (or switch over) from the shell, with the same engine as the console:
//   SIPHA_CONFIG=sipha.config.json NODE_OPTIONS=--conditions=react-server \
//     npx tsx scripts/restore.ts --target d1 [--procedure sipha|paper] [--kind restore|switchover] [--lease-ms 30000] [--json]
//   ... scripts/restore.ts --resume RUN_ID | --rollback RUN_ID | --list
// With --json every progress change is one JSON line on stdout. Test hook: with
// SIPHA_RESTORE_TEST_HOLD_MS set, the run stays that long inside the read-lock window (tests kill
// the process there); "locked" is printed the moment the lock is held. With
// SIPHA_RESTORE_TEST_HOLD_AFTER_SWITCH_MS the run stays that long after the switch, before the
// unlock; "switched" is printed when the switch step is done; "verifying" once the chunked
// verification outside the lock has compared its first chunk.
import { parseArgs } from 'node:util';
import { audit } from '@/lib/audit/log';
import { getConnectionList } from '@/lib/db';
import { publicError } from '@/lib/errors';
import type { AuditSink } from '@/lib/replication/restore/engine';
import { interruptedRuns, resumeRun, rollbackRun, startRun } from '@/lib/replication/restore/runner';
import type { RunView } from '@/lib/replication/restore/types';

const { values } = parseArgs({
  options: {
    target: { type: 'string' },
    procedure: { type: 'string', default: 'sipha' },
    kind: { type: 'string', default: 'restore' },
    'lease-ms': { type: 'string', default: '30000' },
    resume: { type: 'string' },
    rollback: { type: 'string' },
    list: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});

const actor = 'cli';
const sink: AuditSink = (e) => audit({ ...e, actor });

function show(v: RunView, last: { key: string }) {
  const key = `${v.phase}:${v.steps.map((s) => s.status).join(',')}:${v.gap?.behind}:${v.status}`;
  if (key === last.key) return;
  last.key = key;
  if (values.json) return console.log(JSON.stringify(v));
  const s = v.steps.find((x) => x.id === v.phase);
  console.log(
    `${v.status} ${v.phase} ${s?.status ?? ''} ${s?.detail ?? ''}${v.gap ? ` (behind ${v.gap.behind})` : ''}`,
  );
}

async function main(): Promise<number> {
  const list = await getConnectionList();
  if (values.list) {
    console.log(JSON.stringify(await interruptedRuns({ list }), null, 2));
    return 0;
  }
  if (values.rollback) {
    console.log(JSON.stringify(await rollbackRun({ list, runId: values.rollback, actor })));
    return 0;
  }
  let runId: string;
  if (values.resume) {
    runId = (await resumeRun({ list, runId: values.resume, actor, audit: sink })).runId;
  } else {
    if (!values.target) throw new Error('--target NODE is required');
    const procedure = values.procedure === 'paper' ? 'paper' : 'sipha';
    const kind = values.kind === 'switchover' ? 'switchover' : 'restore';
    const r = await startRun({
      list,
      kind,
      procedure,
      target: values.target,
      actor,
      leaseMs: Number(values['lease-ms']),
      audit: sink,
    });
    runId = r.runId;
  }
  const { liveRun, getRun } = await import('@/lib/replication/restore/runner');
  const last = { key: '' };
  let lockedShown = false;
  let switchedShown = false;
  let verifyingShown = false;
  for (;;) {
    const v = liveRun(runId) ?? (await getRun({ list, runId }));
    if (!v) break;
    if (!lockedShown && v.lockLeaseEndsAt) {
      lockedShown = true;
      console.log('locked');
    }
    if (
      !switchedShown &&
      v.status === 'running' &&
      v.steps.some((s) => s.id === 'switch' && s.status === 'done')
    ) {
      switchedShown = true;
      console.log('switched');
    }
    // The chunked verification outside the lock has compared its first chunk.
    if (!verifyingShown && v.phase === 'verify_chunks' && v.snapshot?.tables.some((t) => t.chunksDone > 0)) {
      verifyingShown = true;
      console.log('verifying');
    }
    show(v, last);
    if (v.status !== 'running') {
      if (!values.json)
        console.log(`${v.message}${v.lockWindowMs !== null ? ` [lock window ${v.lockWindowMs} ms]` : ''}`);
      return v.status === 'succeeded' ? 0 : 1;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(publicError(err).message);
    process.exit(1);
  },
);
