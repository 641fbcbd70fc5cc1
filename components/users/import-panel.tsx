'use client';

import { useState } from 'react';
import type { ImportProgress, ImportSummary } from '@/lib/users/import';
import { IMPORT_MAX_BYTES, tooLargeWords } from '@/lib/users/import-limit';

// Type-only: the shapes the import route streams back, from the one place that defines them.
type Progress = ImportProgress;
type Done = ImportSummary;

/**
 * Sends the file as a stream to /api/v1/users/import and reads the NDJSON answer line by line:
 * a progress bar while batches land, then the summary with invalid lines by number.
 */
export function ImportPanel({ domains }: { domains: string[] }) {
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [domain, setDomain] = useState(domains[0] ?? '');

  async function run() {
    if (!file) return setError('Choose a CSV file first.');
    // Said before a byte is sent; the route refuses the same file in the same words.
    if (file.size > IMPORT_MAX_BYTES) return setError(tooLargeWords(file.size));
    setBusy(true);
    setError(null);
    setDone(null);
    setProgress({ bytes: 0, lines: 0, inserted: 0, updated: 0, unchanged: 0, confirmed: 0, invalid: 0 });
    try {
      const res = await fetch(`/api/v1/users/import?domain=${encodeURIComponent(domain)}`, {
        method: 'POST',
        body: file,
        headers: { 'content-type': 'text/csv' },
      });
      if (!res.ok || !res.body) {
        const j = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
        throw new Error(j?.error?.message ?? `The import was refused (${res.status}).`);
      }
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buf = '';
      for (;;) {
        const { value, done: end } = await reader.read();
        if (end) break;
        buf += value;
        let nl = buf.indexOf('\n');
        while (nl >= 0) {
          const msg = JSON.parse(buf.slice(0, nl));
          buf = buf.slice(nl + 1);
          if (msg.type === 'progress') setProgress(msg);
          else if (msg.type === 'done') {
            setProgress(msg);
            setDone(msg);
          } else if (msg.type === 'error') setError(msg.error.message);
          nl = buf.indexOf('\n');
        }
      }
    } catch (e) {
      setError(e instanceof Error ? e.message : 'The import failed.');
    } finally {
      setBusy(false);
    }
  }

  const pct =
    file && progress ? Math.min(100, Math.round((progress.bytes / Math.max(file.size, 1)) * 100)) : 0;
  return (
    <section aria-labelledby="import-title" className="space-y-3 rounded border border-slate-200 p-4">
      <h2 id="import-title" className="font-semibold">
        Import from CSV
      </h2>
      <p className="text-sm text-slate-600">
        One user per line: <code>username,password[,domain]</code>; a header line is optional. Importing the
        same file again changes nothing.
      </p>
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor="import-file" className="block text-sm font-medium">
            CSV file
          </label>
          <input
            id="import-file"
            type="file"
            accept=".csv,text/csv,text/plain"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            className="mt-1 text-sm"
          />
        </div>
        <div>
          <label htmlFor="import-domain" className="block text-sm font-medium">
            Domain for lines without one
          </label>
          <select
            id="import-domain"
            value={domain}
            onChange={(e) => setDomain(e.target.value)}
            className="mt-1 rounded border border-slate-300 px-2 py-1"
          >
            {domains.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </div>
        <button
          type="button"
          onClick={run}
          disabled={busy}
          className="rounded bg-slate-900 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-60"
        >
          {busy ? 'Importing…' : 'Import'}
        </button>
      </div>
      {progress && (
        <div>
          <progress aria-label="Import progress" max={100} value={pct} className="h-3 w-full" />
          <p className="text-xs text-slate-600">
            {pct}% · line {progress.lines} · {progress.inserted} added, {progress.updated} updated,{' '}
            {progress.unchanged} unchanged, {progress.invalid} invalid
          </p>
        </div>
      )}
      <div aria-live="polite" className="space-y-2 text-sm">
        {error && <p className="text-red-700">{error}</p>}
        {done && (
          <>
            <p className="text-green-800">
              {done.noChange
                ? 'Nothing changed: every valid line is already there with the same password. '
                : ''}
              Import finished on {done.nodes.join(', ') || 'no node (nothing to write)'}: {done.inserted}{' '}
              added, {done.updated} updated, {done.unchanged} unchanged
              {done.confirmed ? `, ${done.confirmed} confirmed after a reconnect` : ''}, {done.invalid}{' '}
              invalid.
            </p>
            {done.warning && (
              <p
                role="alert"
                className="rounded border border-amber-400 bg-amber-50 px-2 py-1 text-amber-900"
              >
                {done.warning}
              </p>
            )}
            {done.errors.length > 0 && (
              <div>
                <h3 className="font-medium">Invalid lines</h3>
                <ul aria-label="Invalid lines" className="list-disc pl-5">
                  {done.errors.map((e) => (
                    <li key={e.line}>
                      Line {e.line}: {e.reason}
                    </li>
                  ))}
                </ul>
                {done.errorsTruncated && <p>… and more; fix these and run the import again.</p>}
              </div>
            )}
          </>
        )}
      </div>
    </section>
  );
}
