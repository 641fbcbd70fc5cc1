import type { SipDbStatus, SipService } from '@/lib/health/types';

// What a SIP server can do and which database it uses, the same on the overview and the health
// page: the sentence first, then its db_cluster list, then an error with its fix.

const POLICY: Record<SipDbStatus['policy'], string> = {
  'co-located': 'co-located (its own site’s node first)',
  'single-writer': 'single writer (the console’s first node first)',
  'single-url': 'one database, no db_cluster',
};

function dbLine(db: SipDbStatus): string {
  const order = db.order.join(' → ');
  const inactive = db.inactive.map((i) =>
    i.byConsole ? `${i.node} taken out by the console` : `${i.node} inactive (retried in ${i.secondsLeft} s)`,
  );
  return `${order} · ${POLICY[db.policy]}${inactive.length ? ` · ${inactive.join(', ')}` : ''}`;
}

export function SipServiceText({ service }: { service: SipService }) {
  const { db } = service;
  return (
    <div className="mt-3 space-y-1 border-t border-slate-100 pt-2 text-sm">
      <p data-testid={`sip-words-${service.name}`}>{service.words}</p>
      <dl className="grid grid-cols-[6rem_1fr] gap-y-1">
        <dt className="text-slate-500">Database</dt>
        <dd>
          <span className="font-mono">{db.using ?? 'unknown'}</span>
          <span className="text-slate-500"> now · {dbLine(db)}</span>
        </dd>
      </dl>
      {db.error && (
        <div role="alert" className="rounded border border-red-200 bg-red-50 p-2 text-red-900">
          <p>{db.error}</p>
          {db.fix && <p className="mt-1 text-xs">Fix: {db.fix}</p>}
        </div>
      )}
    </div>
  );
}
