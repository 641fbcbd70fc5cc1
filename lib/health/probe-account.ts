import 'server-only';
import { audited } from '@/lib/audit/audited';
import { clusterOfMember } from '@/lib/clusters/registry';
import { AppError } from '@/lib/errors';
import { generatePassword } from '@/lib/generate-password';
import { digestHashes } from '@/lib/users/hash';
import { createUser, setPassword } from '@/lib/users/mutations';

// The accounts the synthetic REGISTER uses: one per SIP server and domain. Its password is made
// up by this console process and set once (create, or reset if the account exists), so no
// secret is stored anywhere; the probe needs only the HA1. One account per server, because two
// servers writing the same address-of-record through two databases delete each other's rows:
// the delete replicated from one node then finds nothing on the other, and replication stops
// with error 1032 (the paper's two-writer window).

export function probeUser(server: string): string {
  return `sipha-probe-${server}`;
}

const g = globalThis as unknown as { __siphaProbeAccounts?: Map<string, Promise<string>> };

async function provision(server: string, domain: string): Promise<string> {
  const password = generatePassword(24);
  const key = { username: probeUser(server), domain };
  // The server authenticates against its own cluster's databases, whatever the shard map says.
  const cluster = clusterOfMember(server);
  await audited({
    actor: 'console',
    action: 'probe.account',
    target: () => `${key.username}@${domain}`,
    run: async () => {
      try {
        return await createUser({ ...key, password, cluster });
      } catch (e) {
        if (!(e instanceof AppError && e.code === 'conflict:user')) throw e;
        return setPassword({ ...key, password, cluster });
      }
    },
    outcome: (r) => ({
      outcome: 'ok',
      node: r.node,
      detail: 'password set for the synthetic REGISTER probe',
    }),
  });
  return digestHashes({ ...key, password }).ha1;
}

/** `server`'s probe account's HA1 in `domain`, provisioned on first use (retried after a failure). */
export function probeAccount(server: string, domain: string): Promise<string> {
  g.__siphaProbeAccounts ??= new Map();
  const cache = g.__siphaProbeAccounts;
  const key = `${server}@${domain}`;
  let p = cache.get(key);
  if (!p) {
    p = provision(server, domain);
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}
