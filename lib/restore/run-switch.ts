import 'server-only';
import { publicError } from '@/lib/errors';
import { onCtx } from './node-io';
import type { RunContext } from './run-context';

// Step f: the switch. For a restore the returning node is unfenced and writable again; for a
// planned switchover the survivor is fenced for maintenance. Runs under the survivor's lock.

export async function switchOver(run: RunContext): Promise<string> {
  const { t, s, o, view } = run;
  run.requireLock();
  if (view.kind === 'restore') {
    const wrote = await o.list.setFenced(
      t.name,
      false,
      `restored from ${s.name} (run ${view.runId.slice(0, 8)})`,
      o.actor,
    );
    for (const st of t.dialect.setReadOnly({ on: false })) await onCtx(t, st);
    // Enable the survivor's semi-sync wait while writers are still held: the first commit
    // after the unlock is lossless again. The target is connected and caught up.
    await semiSyncBack(run);
    return `${t.name} is active (fence state written on ${wrote}); read_only OFF`;
  }
  const wrote = await o.list.setFenced(
    s.name,
    true,
    `planned switchover to ${t.name} (run ${view.runId.slice(0, 8)})`,
    o.actor,
  );
  return `${s.name} fenced for maintenance, ${t.name} is active (fence state written on ${wrote})`;
}

/**
 * Turns the survivor's semi-sync source wait back on once the restored target is its semi-sync
 * replica again (the failover had turned it off so the lone survivor would not stall). Done at
 * most once per run; a failure is a warning, not a failed run: the target is active by then.
 */
export async function semiSyncBack(run: RunContext): Promise<void> {
  const { t, s, view } = run;
  if (run.semiSyncDone || view.kind !== 'restore') return;
  try {
    const [r] = await onCtx<{ replica_enabled: unknown }>(t, t.dialect.semiSyncReplicaEnabled());
    if (Number(r?.replica_enabled) !== 1) return;
    await onCtx(s, s.dialect.setSemiSyncSourceWait({ on: true }));
    run.semiSyncDone = true;
  } catch (err) {
    view.warnings.push(`semi-sync wait on ${view.survivor} not turned back on: ${publicError(err).message}`);
  }
}
