import 'server-only';
import { createHash } from 'node:crypto';
import type { ConnectionList } from '@/lib/db/connection-list';
import { AppError } from '@/lib/errors';
import { busy } from './background';
import { type NodeCtx, nodeCtx, onCtx } from './node-io';
import { applyChanges } from './repair-apply';
import { planLocationMerge } from './repair-location';
import { planSubscriberChoices } from './repair-subscriber';
import type { RepairPreview, SubscriberChoice } from './repair-types';
import type { AuditSink } from './run-context';
import { DEFAULT_LEASE_MS } from './run-restore';
import { openSnapshotPair } from './snapshot-pair';
import type { RowDiff } from './types';
import { compareAtOnePosition, comparePair, verifyViewOf } from './verify-snapshot';

// Repair of what diverged, never silent: the differences are read at one GTID position (the
// same brief lock and snapshots as the verification), the changes are previewed, applied only
// when the differences are still exactly those of the preview, audited one by one, and the
// verification runs again. Previews live in this console process, one per returning node.

const g = globalThis as unknown as { __siphaRepair?: Map<string, RepairPreview> };
g.__siphaRepair ??= new Map();
const previews = g.__siphaRepair;

export function currentRepair(target: string): RepairPreview | null {
  return previews.get(target) ?? null;
}

async function read({ list, target }: { list: ConnectionList; target: string }) {
  await list.ready();
  const running = busy();
  if (running)
    throw new AppError('conflict:state', `A restore of ${running.target} is running: repair after it ends.`);
  // Only a fenced node is repaired, against the active one (a moment of unreachability in the
  // probe's view is no reason to refuse: the snapshot connections say whether it answers).
  // A probe that timed out on a busy server clears `active` until the next probe answers.
  for (let i = 0; i < 20 && !list.active(); i++) await new Promise((r) => setTimeout(r, 250));
  const survivor = list.active()?.handle.name;
  if (!survivor || survivor === target || !list.isFenced(target))
    throw new AppError(
      'conflict:state',
      `${target} is not a fenced node with an active survivor: nothing to repair.`,
    );
  const [t, s] = await Promise.all([nodeCtx({ list, name: target }), nodeCtx({ list, name: survivor })]);
  const pair = await openSnapshotPair({ survivor: s, target: t, leaseMs: DEFAULT_LEASE_MS });
  try {
    const { diffs } = await comparePair({ pair, onProgress: () => undefined });
    return { t, s, diffs, position: pair.survivorPos };
  } finally {
    await pair.close();
  }
}

async function freshIdFrom(nodes: NodeCtx[]): Promise<number> {
  const max = await Promise.all(
    nodes.map((c) => onCtx<{ m: unknown }>(c, 'SELECT MAX(id) AS m FROM location')),
  );
  // Room for the registrations that arrive between this read and the commit.
  return Math.max(0, ...max.map((r) => Number(r[0]?.m ?? 0))) + 10_000;
}

const digestOf = (diffs: RowDiff[], choices: Record<string, SubscriberChoice>) =>
  createHash('sha256').update(JSON.stringify({ diffs, choices })).digest('hex');

function preview(
  r: Awaited<ReturnType<typeof read>>,
  choices: Record<string, SubscriberChoice>,
  freshFrom: number,
): RepairPreview {
  const subs = r.diffs.filter((d) => d.table === 'subscriber');
  for (const k of Object.keys(choices))
    if (!subs.some((d) => d.key === k))
      throw new AppError('bad_request:input', `subscriber ${k} does not differ (any more).`, {
        fields: { [`choice.${k}`]: ['This row does not differ.'] },
      });
  return {
    target: r.t.name,
    survivor: r.s.name,
    position: r.position,
    createdAt: Date.now(),
    digest: digestOf(r.diffs, choices),
    location: planLocationMerge({ diffs: r.diffs, freshIdFrom: freshFrom }),
    subscriber: planSubscriberChoices({ diffs: r.diffs, choices }),
    subscriberDiffs: subs.map((d) => ({ ...d, choice: choices[d.key] ?? null })),
    after: null,
    applied: null,
  };
}

export async function previewRepair(input: {
  list: ConnectionList;
  target: string;
  choices: Record<string, SubscriberChoice>;
}): Promise<RepairPreview> {
  const r = await read(input);
  const p = preview(r, input.choices, await freshIdFrom([r.s, r.t]));
  previews.set(p.target, p);
  return p;
}

export async function applyRepair({
  list,
  target,
  choices,
  digest,
  audit,
}: {
  list: ConnectionList;
  target: string;
  choices: Record<string, SubscriberChoice>;
  digest: string;
  audit: AuditSink;
}): Promise<RepairPreview> {
  const r = await read({ list, target });
  const p = preview(r, choices, await freshIdFrom([r.s, r.t]));
  if (p.digest !== digest)
    throw new AppError(
      'conflict:state',
      'The differences changed since the preview: preview the repair again.',
    );
  const changes = [...p.location, ...p.subscriber];
  if (!changes.length) throw new AppError('conflict:state', 'Nothing to repair with these choices.');
  await applyChanges({ survivor: r.s, target: r.t, changes });
  for (const ch of changes)
    await audit({
      action: `restore.repair.${ch.table}`,
      target: `${ch.table} ${ch.key}`,
      node: ch.node === 'survivor' ? r.s.name : r.t.name,
      outcome: 'ok',
      detail: `${ch.op} (${ch.why}), outside replication, at ${r.position}`,
    });
  const again = await compareAtOnePosition({
    survivor: r.s,
    target: r.t,
    leaseMs: DEFAULT_LEASE_MS,
    onProgress: () => undefined,
  });
  const done = { ...p, applied: changes.length, after: verifyViewOf(again) };
  previews.set(target, done);
  return done;
}
