import type { ClusterUnavailable } from '@/lib/clusters/unavailable-words';

/**
 * For a list spanning clusters (issue 14): one banner row per cluster that did not answer, and a
 * line saying the list is partial, so an operator sees at once whose rows are missing and why.
 * Renders nothing when every cluster answered.
 */
export function UnavailableClusters({
  what,
  unavailable,
  answered,
}: {
  /** "registrations", "users" */
  what: string;
  unavailable: ClusterUnavailable[] | undefined;
  /** The clusters whose rows are shown; given, a line says the list is partial. */
  answered?: string[];
}) {
  if (!unavailable?.length) return null;
  return (
    <section aria-label={`Clusters whose ${what} are unavailable`} className="space-y-1" data-partial>
      <ul className="space-y-1">
        {unavailable.map((u) => (
          <li
            key={u.cluster}
            role="alert"
            data-cluster={u.cluster}
            className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900"
          >
            <span className="font-mono font-semibold">{u.cluster}</span>: {what} unavailable — {u.reason}
          </li>
        ))}
      </ul>
      {answered && (
        <p className="text-sm font-medium text-amber-800">
          Partial results:{' '}
          {answered.length
            ? `only ${answered.join(', ')} answered; the list and its pages cover ${answered.length === 1 ? 'that cluster' : 'those clusters'}.`
            : 'no cluster answered.'}
        </p>
      )}
    </section>
  );
}
