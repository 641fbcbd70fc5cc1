import 'server-only';
import { chosenCluster, connectionListOf } from '@/lib/clusters/registry';
import type { ConnectionList } from '@/lib/db';
import { AppError } from '@/lib/errors';

// Unregister = delete the contact's row; with usrloc db_mode=3 Kamailio reads the table on every
// lookup, so the phone is no longer reachable through any SIP server once the row is gone
// (and replication removes it on the other nodes). The row lives in its user's cluster: the
// delete goes to that cluster's connection list (the home cluster's when none is named).

export async function deleteRegistration({
  ruid,
  cluster,
  list,
}: {
  ruid: string;
  cluster?: string;
  list?: ConnectionList;
}): Promise<{ node: string; warning?: string; aor: string }> {
  const l = list ?? (await connectionListOf(chosenCluster(cluster)));
  const found = await l.read((db) =>
    db.selectFrom('location').select(['username', 'domain']).where('ruid', '=', ruid).executeTakeFirst(),
  );
  if (!found.value)
    throw new AppError(
      'not_found:resource',
      'That registration is gone already (expired, re-registered or removed).',
    );
  const aor = found.value.domain ? `${found.value.username}@${found.value.domain}` : found.value.username;
  const served = await l.write({
    atomic: true,
    run: async (db) =>
      Number((await db.deleteFrom('location').where('ruid', '=', ruid).executeTakeFirst()).numDeletedRows),
    // After a broken connection: the delete took effect if the row is not there any more.
    verify: async (db) =>
      (await db.selectFrom('location').select('id').where('ruid', '=', ruid).executeTakeFirst())
        ? undefined
        : 1,
  });
  if (served.value === 0)
    throw new AppError(
      'not_found:resource',
      'That registration is gone already (expired, re-registered or removed).',
    );
  return { node: served.node, warning: served.warning, aor };
}
