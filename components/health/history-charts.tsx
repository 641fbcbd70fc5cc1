'use client';

import { LineChart } from '../charts/line-chart';
import { useHealthHistory } from './use-health';

const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`);

export function HistoryCharts({ registrations = true }: { registrations?: boolean }) {
  const { data, error } = useHealthHistory();
  if (!data)
    return (
      <p className="text-sm text-slate-500">
        {error ? 'The charts cannot be read right now.' : 'Loading charts…'}
      </p>
    );
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <LineChart
        title="Replication lag, last hour (heartbeat)"
        series={data.lag}
        unit=""
        format={ms}
        minMax={100}
      />
      {registrations && (
        <LineChart
          title="Registrations per SIP server, last hour"
          series={data.registrations}
          unit="registered"
          format={(v) => String(Math.round(v))}
        />
      )}
    </div>
  );
}
