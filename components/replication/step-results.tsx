import type { RunState, StepId } from '@/lib/wizard/types';

// What each finished step found or did, in plain tables.

function Table({ head, rows, label }: { head: string[]; rows: (string | number)[][]; label: string }) {
  return (
    <table className="w-full text-sm" aria-label={label}>
      <thead>
        <tr className="border-b border-slate-200 text-left text-slate-500">
          {head.map((h) => (
            <th key={h} className="py-1 pr-4 font-medium">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.join('|')} className="border-b border-slate-100">
            {r.map((c, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: fixed columns.
              <td key={i} className="py-1 pr-4 font-mono text-xs">
                {c}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function StepResults({ run, step }: { run: RunState; step: StepId }) {
  const { steps } = run;
  switch (step) {
    case 'nodes': {
      const r = steps.nodes.result;
      if (!r) return null;
      return (
        <Table
          label="Nodes"
          head={['node', 'address', 'replicas connect to', 'server']}
          rows={r.nodes.map((n) => [
            n.name,
            `${n.host}:${n.port}`,
            `${n.replicationHost}:${n.replicationPort}`,
            n.version ?? n.error ?? '',
          ])}
        />
      );
    }
    case 'user': {
      const r = steps.user.result;
      if (!r) return null;
      return (
        <Table
          label="Replication accounts"
          head={['on source', 'for replica', 'account (REPLICATION SLAVE only)']}
          rows={r.accounts.map((a) => [a.source, a.replica, a.account])}
        />
      );
    }
    case 'data': {
      const r = steps.data.result;
      if (!r) return null;
      return (
        <Table
          label="Copies"
          head={['from', 'to', 'binlog position', 'GTID position', 'rows']}
          rows={r.copies.map((c) => [
            c.source,
            c.target,
            `${c.position.file}:${c.position.position}`,
            c.position.gtid || '(empty)',
            c.tables.reduce((a, t) => a + t.rows, 0),
          ])}
        />
      );
    }
    case 'directions': {
      const r = steps.directions.result;
      if (!r) return null;
      return (
        <Table
          label="Replication links"
          head={['replica', 'from', 'IO thread', 'SQL thread']}
          rows={r.links.map((l) => [
            l.replica,
            l.source,
            l.io + (l.skipped ? ' (already running)' : ''),
            l.sql ? 'Yes' : 'No',
          ])}
        />
      );
    }
    case 'verify': {
      const r = steps.verify.result;
      if (!r) return null;
      return (
        <div className="space-y-3">
          <Table
            label="Probe delays"
            head={['probe written on', 'seen on', 'delay']}
            rows={r.probes.map((p) => [p.from, p.to, p.delayMs === null ? 'not seen' : `${p.delayMs} ms`])}
          />
          <Table
            label="Subscriber checksums"
            head={['node', 'CHECKSUM TABLE subscriber']}
            rows={Object.entries(r.checksums).map(([n, v]) => [n, v ?? 'missing'])}
          />
          {r.semiSync && (
            <Table
              label="Semi-sync"
              head={['source', 'semi-sync status', 'acknowledging replicas', 'commits acknowledged / not']}
              rows={r.semiSync.map((s) => [
                s.node,
                s.status ? 'ON' : 'OFF',
                s.clients,
                `${s.yesTx} / ${s.noTx}`,
              ])}
            />
          )}
        </div>
      );
    }
    case 'harden': {
      const r = steps.harden.result;
      if (!r) return null;
      return (
        <p className="text-sm">
          {r.removed.length
            ? `Removed anonymous accounts: ${r.removed.join(', ')}`
            : 'No anonymous accounts were left.'}
        </p>
      );
    }
    default:
      return null;
  }
}
