import type { Check } from '@/lib/wizard/types';
import { ActionForm } from './action-form';
import type { Action } from './types';

// Each check per node: pass/fail, the reason, and the fix: an Apply button for dynamic
// settings, the node's my.cnf block and "re-check after restart" for static ones.

const icon = (c: Check) => (c.ok ? '✓' : c.severity === 'error' ? '✗' : '!');
const tone = (c: Check) =>
  c.ok ? 'text-green-700' : c.severity === 'error' ? 'text-red-700' : 'text-amber-700';

export function PreflightView({
  checks,
  runId,
  apply,
  firstNode,
}: {
  checks: Check[];
  runId: string;
  apply: Action;
  firstNode: string;
}) {
  const nodes = [...new Set(checks.map((c) => c.node))];
  const dynamicFixes = checks.filter((c) => !c.ok && c.apply?.length).length;
  return (
    <div className="space-y-4">
      {dynamicFixes > 0 && (
        <ActionForm action={apply} submit={`Apply all ${dynamicFixes} dynamic fixes`} firstNode={firstNode}>
          <input type="hidden" name="runId" value={runId} />
        </ActionForm>
      )}
      {nodes.map((node) => {
        const mine = checks.filter((c) => c.node === node);
        const cnf = mine.find((c) => !c.ok && c.myCnf)?.myCnf;
        return (
          <section key={node} aria-label={`Checks on ${node}`} className="rounded border border-slate-200">
            <h3 className="border-b border-slate-200 bg-slate-50 px-3 py-1.5 font-mono text-sm font-semibold">
              {node}
            </h3>
            <table className="w-full text-sm">
              <tbody>
                {mine.map((c) => (
                  <tr key={c.id} className="border-b border-slate-100 align-top last:border-0">
                    <td
                      className={`w-6 px-3 py-1.5 font-bold ${tone(c)}`}
                      aria-label={c.ok ? 'pass' : 'fail'}
                    >
                      {icon(c)}
                    </td>
                    <td className="w-64 py-1.5">{c.label}</td>
                    <td className="py-1.5 pr-3">
                      <span className="text-slate-700">{c.reason}</span>
                      {c.fix && <span className="block text-slate-500">{c.fix}</span>}
                      {!c.ok && c.apply?.length ? (
                        <ActionForm
                          action={apply}
                          submit="Apply"
                          firstNode={firstNode}
                          className="mt-1 flex flex-wrap items-center gap-2"
                        >
                          <input type="hidden" name="runId" value={runId} />
                          <input type="hidden" name="node" value={c.node} />
                          <input type="hidden" name="checkId" value={c.id} />
                          <code className="rounded bg-slate-100 px-1 text-xs">{c.apply.join('; ')}</code>
                        </ActionForm>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {cnf && (
              <div className="border-t border-slate-200 p-3 text-sm">
                <p className="mb-1">
                  Put these lines in <code>{node}</code>&apos;s my.cnf (so settings survive a restart; static
                  ones need it), restart the server, then press <em>Re-check</em>:
                </p>
                <pre className="rounded bg-slate-900 p-2 text-xs text-slate-100">{cnf}</pre>
              </div>
            )}
          </section>
        );
      })}
    </div>
  );
}
