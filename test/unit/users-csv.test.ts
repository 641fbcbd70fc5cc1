import { describe, expect, it } from 'vitest';
import { parseCsvLine, readCsv, readLines } from '@/lib/users/csv';

async function* chunks(parts: string[]) {
  for (const p of parts) yield new TextEncoder().encode(p);
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('CSV reader', () => {
  it('splits lines across chunk boundaries, CRLF included, and numbers them', async () => {
    const lines = await collect(readLines(chunks(['a,b\r\nc,', 'd\n\ne,f'])));
    expect(lines.map((l) => [l.line, l.text])).toEqual([
      [1, 'a,b'],
      [2, 'c,d'],
      [3, ''],
      [4, 'e,f'],
    ]);
    expect(lines.at(-1)?.bytes).toBe(13);
  });

  it('decodes a multi-byte character split between chunks', async () => {
    const bytes = new TextEncoder().encode('ü,x\n');
    async function* split() {
      yield bytes.slice(0, 1);
      yield bytes.slice(1);
    }
    expect((await collect(readLines(split()))).map((l) => l.text)).toEqual(['ü,x']);
  });

  it('reports an over-long line without buffering it, and goes on', async () => {
    const lines = await collect(
      readCsv(chunks(['ok,1\n', 'x'.repeat(3000), 'y'.repeat(3000), '\nnext,2\n']), { maxLineBytes: 4096 }),
    );
    expect(lines.map((l) => [l.line, l.error ?? l.fields.join('|')])).toEqual([
      [1, 'ok|1'],
      [2, 'line longer than 4096 bytes'],
      [3, 'next|2'],
    ]);
  });

  it('parses quoted fields', () => {
    expect(parseCsvLine('a,"b,c","d""e"')).toEqual(['a', 'b,c', 'd"e']);
    expect(parseCsvLine('a,')).toEqual(['a', '']);
    expect(parseCsvLine('"open')).toEqual({ error: 'unterminated quoted field' });
    expect(parseCsvLine('"a"b')).toEqual({ error: 'text after a closing quote' });
  });

  it('skips blank lines but keeps file line numbers', async () => {
    const lines = await collect(readCsv(chunks(['u,p\n\n\nv,q\n'])));
    expect(lines.map((l) => l.line)).toEqual([1, 4]);
  });
});
