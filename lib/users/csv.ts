// A streaming CSV reader for the import: bytes in, numbered lines out, never the whole file in
// memory. A line longer than maxLineBytes is reported (and skipped) instead of being buffered.

export interface CsvLine {
  line: number;
  fields: string[];
  /** Set instead of fields when the line cannot be read. */
  error?: string;
  /** Bytes of the input consumed so far, for progress. */
  bytes: number;
}

export async function* readLines(
  input: AsyncIterable<Uint8Array>,
  opts: { maxLineBytes?: number } = {},
): AsyncGenerator<{ line: number; text: string | null; bytes: number }> {
  const max = opts.maxLineBytes ?? 4096;
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const tooLong = (s: string) => s.length > max || (s.length > max / 4 && Buffer.byteLength(s) > max);
  let carry = ''; // the start of a line whose end has not arrived, never longer than max
  let line = 0;
  let bytes = 0;
  let skipping = false; // inside an over-long line: drop until its end
  for await (const chunk of input) {
    bytes += chunk.byteLength;
    const text = carry + decoder.decode(chunk, { stream: true });
    carry = '';
    // Lines are cut out by index (no copying of the rest per line) and each one is measured
    // here, inside the chunk, not only where a chunk ends.
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      line++;
      const t = text.slice(start, nl).replace(/\r$/, '');
      yield { line, text: skipping || tooLong(t) ? null : t, bytes };
      skipping = false;
      start = nl + 1;
    }
    const rest = text.slice(start);
    if (skipping || tooLong(rest)) skipping = true;
    else carry = rest;
  }
  const tail = carry + decoder.decode();
  if (tail.length > 0 || skipping)
    yield { line: line + 1, text: skipping || tooLong(tail) ? null : tail.replace(/\r$/, ''), bytes };
}

/** One CSV record on one line: fields separated by commas, "quoted" with "" for a quote. */
export function parseCsvLine(text: string): string[] | { error: string } {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) return { error: 'unterminated quoted field' };
        v += text.slice(i, q);
        if (text[q + 1] === '"') {
          v += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      if (i < text.length && text[i] !== ',') return { error: 'text after a closing quote' };
      fields.push(v);
    } else {
      const c = text.indexOf(',', i);
      fields.push(c < 0 ? text.slice(i) : text.slice(i, c));
      i = c < 0 ? text.length : c;
    }
    if (i >= text.length) return fields;
    i++; // the comma
    if (i === text.length) {
      fields.push('');
      return fields;
    }
  }
}

export async function* readCsv(
  input: AsyncIterable<Uint8Array>,
  opts: { maxLineBytes?: number } = {},
): AsyncGenerator<CsvLine> {
  for await (const l of readLines(input, opts)) {
    if (l.text === null) {
      yield {
        line: l.line,
        fields: [],
        error: `line longer than ${opts.maxLineBytes ?? 4096} bytes`,
        bytes: l.bytes,
      };
      continue;
    }
    if (l.text.trim() === '') continue; // blank lines, e.g. a trailing newline
    const parsed = parseCsvLine(l.text);
    if (Array.isArray(parsed)) yield { line: l.line, fields: parsed, bytes: l.bytes };
    else yield { line: l.line, fields: [], error: parsed.error, bytes: l.bytes };
  }
}

/**
 * One exported cell. A spreadsheet runs a cell that starts with = + - @ (or a tab or CR before
 * one) as a formula, so such a cell gets a leading quote, as OWASP recommends for CSV injection.
 */
export function csvCell(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
