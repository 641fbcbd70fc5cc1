import type { Metadata } from 'next';
import { GaleraLive } from '@/components/galera/galera-live';
import { GaleraPreflight } from '@/components/galera/galera-preflight';
import { requirePageUser } from '@/lib/auth/guard';
import { hasRole } from '@/lib/auth/roles';
import { getConfig } from '@/lib/config/load';
import { getBootstrapPreflight } from '@/lib/galera/bootstrap';
import { describeOperation } from '@/lib/galera/describe';
import { getGaleraHealth } from '@/lib/galera/health';
import { getPreflight } from '@/lib/galera/preflight-run';
import { galeraOperationAction, galeraWriterAction } from './actions';

export const metadata: Metadata = { title: 'Galera' };
export const dynamic = 'force-dynamic';

export default async function GaleraPage() {
  const user = await requirePageUser('viewer');
  const initial = await getGaleraHealth();
  if (!initial.enabled)
    return (
      <>
        <h1 className="mb-2 text-2xl font-semibold">Galera</h1>
        <p className="text-sm text-slate-600">
          These nodes form a replicated pair or ring, not a Galera cluster. A Galera cluster is configured
          with a <code>galera</code> section in the configuration (see the README).
        </p>
      </>
    );
  const names = getConfig().nodes.map((n) => n.name);
  const admin = hasRole(user.role, 'admin');
  // No node in a Galera cluster yet: the full bootstrap preflight (membership, ports, SST account).
  const check = admin ? await (initial.formed ? getPreflight() : getBootstrapPreflight()) : null;
  const plans = admin
    ? {
        bootstrap: describeOperation('bootstrap'),
        recover: describeOperation('recover'),
        'rolling-restart': describeOperation('rolling-restart'),
        join: [],
        remove: [],
        byNode: Object.fromEntries(
          names.map((n) => [
            n,
            { join: describeOperation('join', n), remove: describeOperation('remove', n) },
          ]),
        ),
      }
    : null;
  return (
    <>
      <h1 className="mb-1 text-2xl font-semibold">Galera cluster</h1>
      <p className="mb-6 text-sm text-slate-600">
        Synchronous replication: every node takes part in each commit. Checked by the console every probe
        round.
      </p>
      <GaleraLive
        initial={initial}
        plans={plans}
        action={galeraOperationAction}
        writerAction={galeraWriterAction}
      />
      {check && (
        <section aria-labelledby="g-pre" className="mt-8">
          <h2 id="g-pre" className="mb-3 text-lg font-semibold">
            Bootstrap preflight
          </h2>
          <GaleraPreflight items={check.items} cnf={check.cnf} />
        </section>
      )}
    </>
  );
}
