import { semiSyncSummary } from '@/lib/wizard/semisync-summary';
import type { RunState } from '@/lib/wizard/types';

// The last page: what was set up and how it was proven.

export function Summary({ run }: { run: RunState }) {
  const verify = run.steps.verify.result;
  const links = run.steps.directions.result?.links ?? [];
  const data = run.steps.data.result;
  const delays = (verify?.probes ?? []).flatMap((p) => (p.delayMs === null ? [] : [p.delayMs]));
  const semiSync = semiSyncSummary(verify?.semiSync);
  return (
    <section
      aria-label="Summary"
      className="space-y-2 rounded border border-green-300 bg-green-50 p-4 text-sm"
    >
      <h2 className="text-lg font-semibold text-green-900">Replication is set up and verified</h2>
      <ul className="ml-5 list-disc">
        <li>
          Nodes: {run.nodes.map((n) => n.name).join(', ')} ({run.nodes.length === 2 ? 'two-way pair' : 'ring'}
          )
        </li>
        <li>
          Links:{' '}
          {links.map((l: { source: string; replica: string }) => `${l.source} → ${l.replica}`).join(', ')}, IO
          and SQL threads running, no errors
        </li>
        {data && (
          <li>
            Initial data:{' '}
            {data.mode === 'copy'
              ? 'copied over SQL from a consistent snapshot of the first node'
              : data.mode === 'operator'
                ? 'operator-made copy, verified by checksums'
                : 'already identical, verified by checksums'}
          </li>
        )}
        {delays.length > 0 && (
          <li>
            Probe rows arrived everywhere in {Math.min(...delays)}–{Math.max(...delays)} ms; CHECKSUM TABLE
            subscriber equal on all nodes
          </li>
        )}
        <li className={semiSync.ok ? undefined : 'font-medium text-amber-800'}>{semiSync.text}</li>
        <li>Anonymous accounts removed; replication accounts have REPLICATION SLAVE only</li>
        <li>Keep the my.cnf lines from the preflight step on each node so a restart keeps these settings.</li>
      </ul>
    </section>
  );
}
