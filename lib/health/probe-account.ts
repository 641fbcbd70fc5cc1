import 'server-only';
import { audit } from '@/lib/audit/log';
import { AppError } from '@/lib/errors';
import { generatePassword } from '@/lib/generate-password';
import { digestHashes } from '@/lib/users/hash';
import { createUser, setPassword } from '@/lib/users/mutations';

// The account the synthetic REGISTER uses, one per domain. Its password is made up by this
// console process and set once (create, or reset if the account exists), so no secret is
// stored anywhere; the probe needs only the HA1.

export const PROBE_USER = 'sipha-probe';

const g = globalThis as unknown as { __siphaProbeAccounts?: Map<string, Promise<string>> };

async function provision(domain: string): Promise<string> {
  const password = generatePassword(24);
  const key = { username: PROBE_USER, domain };
  const entry = { actor: 'console', action: 'probe.account', target: `${PROBE_USER}@${domain}` };
  try {
    let r: { node: string };
    try {
      r = await createUser({ ...key, password });
    } catch (e) {
      if (!(e instanceof AppError && e.code === 'conflict:user')) throw e;
      r = await setPassword({ ...key, password });
    }
    await audit({
      ...entry,
      node: r.node,
      outcome: 'ok',
      detail: 'password set for the synthetic REGISTER probe',
    });
  } catch (e) {
    await audit({ ...entry, node: null, outcome: 'failed', detail: (e as Error).message });
    throw e;
  }
  return digestHashes({ ...key, password }).ha1;
}

/** The probe account's HA1 in `domain`, provisioning it on first use (retried after a failure). */
export function probeAccount(domain: string): Promise<string> {
  g.__siphaProbeAccounts ??= new Map();
  const cache = g.__siphaProbeAccounts;
  let p = cache.get(domain);
  if (!p) {
    p = provision(domain);
    cache.set(domain, p);
    p.catch(() => cache.delete(domain));
  }
  return p;
}
