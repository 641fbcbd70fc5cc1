import { type DrainPlan, rrText } from '@/lib/dns/drain-plan';
import { type DrainAction, DrainConfirm } from './drain-confirm';

export interface DrainRequest {
  domain: string;
  server: string;
  op: 'drain' | 'restore';
  mode: 'weight' | 'priority';
}

const select = 'rounded border border-slate-300 px-2 py-1';

/**
 * Step 1 is a plain GET form (the preview is a page, so it can be reloaded and shared);
 * step 2 confirms the exact records shown, through the audited server action.
 */
export function DrainPanel(p: {
  domains: string[];
  servers: string[];
  /** The page's ?cluster=, kept through the preview. */
  cluster?: string;
  request: DrainRequest | null;
  plan: DrainPlan | null;
  problem: string | null;
  action: DrainAction;
}) {
  const r = p.request;
  return (
    <section aria-labelledby="drain-h" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id="drain-h" className="mb-2 text-lg font-semibold">
        Drain or restore a SIP server
      </h2>
      <form method="get" className="flex flex-wrap items-end gap-3 text-sm">
        {p.cluster && <input type="hidden" name="cluster" value={p.cluster} />}
        <label className="flex flex-col">
          SIP domain
          <select name="domain" defaultValue={r?.domain} className={select}>
            {p.domains.map((d) => (
              <option key={d}>{d}</option>
            ))}
          </select>
        </label>
        <label className="flex flex-col">
          SIP server
          <select name="server" defaultValue={r?.server} className={select}>
            {p.servers.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label className="flex flex-col">
          Action
          <select name="op" defaultValue={r?.op ?? 'drain'} className={select}>
            <option value="drain">drain</option>
            <option value="restore">restore</option>
          </select>
        </label>
        <label className="flex flex-col">
          How
          <select name="mode" defaultValue={r?.mode ?? 'priority'} className={select}>
            <option value="priority">lower priority (complete)</option>
            <option value="weight">SRV weight 0 (keeps 1/(sum+1))</option>
          </select>
        </label>
        <button type="submit" className="rounded border border-slate-400 px-3 py-1 hover:bg-slate-50">
          Preview
        </button>
      </form>
      {p.problem && <p className="mt-3 text-sm text-red-700">{p.problem}</p>}
      {p.plan && r && (
        <section className="mt-4 grid gap-3 md:grid-cols-2" aria-label="Preview">
          <div>
            <h3 className="text-sm font-medium">Records now</h3>
            <pre className="mt-1 overflow-x-auto rounded bg-slate-100 p-2 text-xs">
              {p.plan.before.map(rrText).join('\n')}
            </pre>
          </div>
          <div>
            <h3 className="text-sm font-medium">Records after the update</h3>
            <pre className="mt-1 overflow-x-auto rounded bg-slate-100 p-2 text-xs">
              {p.plan.after.map(rrText).join('\n')}
            </pre>
          </div>
          <div className="md:col-span-2">
            <p className="text-sm text-slate-600">
              Sent as one RFC 2136 update signed with the configured TSIG key, then checked by resolving
              again. Phones see it once their cached records expire (the TTL).
            </p>
          </div>
        </section>
      )}
      {/* Outside the preview, so the result stays when the page re-renders without it. */}
      {r && (
        <DrainConfirm
          key={`${r.domain}-${r.server}-${r.op}-${r.mode}`}
          action={p.action}
          fields={{ ...r }}
          label={`${r.op === 'drain' ? 'Drain' : 'Restore'} ${r.server} now`}
          enabled={p.plan !== null}
        />
      )}
    </section>
  );
}
