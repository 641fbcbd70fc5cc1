// The restore command line (scripts/restore.ts). With --json every progress change is one JSON
// line on stdout; "locked" is printed the moment the survivor's lock is held and "switched" when
// the switch step is done. Pauses at those points exist for tests only: they are a parameter
// here, set by test/helpers/restore-child.ts, never by the environment or the command line.
import { parseArgs } from 'node:util';
import { audit } from '@/lib/audit/log';
import { chosenCluster, connectionListOf, nodeCluster } from '@/lib/clusters/registry';
import { publicError } from '@/lib/errors';
import { interruptedRuns, resumeRun, rollbackRun, type StartInput, startRun } from '@/lib/restore/background';
import type { AuditSink } from '@/lib/restore/run-restore';
import type { RunView } from '@/lib/restore/types';

export type TestPauses = Pick<StartInput, 'testHoldMs' | 'testHoldAfterSwitchMs'>;

const { values } = parseArgs({
  options: {
    target: { type: 'string' },
    procedure: { type: 'string', default: 'sipha' },
    kind: { type: 'string', default: 'restore' },
    'lease-ms': { type: 'string', default: '30000' },
    resume: { type: 'string' },
    rollback: { type: 'string' },
    list: { type: 'boolean', default: false },
    // With more than one cluster: the cluster of a run id (a --target names its own).
    cluster: { type: 'string' },
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

async function main(pauses: TestPauses): Promise<number> {
  const list = await connectionListOf(
    values.target
      ? nodeCluster({ node: values.target, cluster: values.cluster })
      : chosenCluster(values.cluster),
  );
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
      ...pauses,
    });
    runId = r.runId;
  }
  const { liveRun, getRun } = await import('@/lib/restore/background');
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

export function restoreCli(pauses: TestPauses = {}): void {
  main(pauses).then(
    (code) => process.exit(code),
    (err) => {
      console.error(publicError(err).message);
      process.exit(1);
    },
  );
}
