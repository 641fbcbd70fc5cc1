import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { clientAddress } from '@/lib/auth/client';
import { crossSiteReason } from '@/lib/auth/guard';
import { AppError, publicError, redactError } from '@/lib/errors';
import { TakenOverError } from '@/lib/jobs/run';
import { csvCell, readCsv } from '@/lib/users/csv';
import { pageLimit, searchText, userRules, userSearch } from '@/lib/users/rules';
import { StepFailure } from '@/lib/wizard/failure';

// Issue 17: the parts of the hardening that are pure functions. The same findings are checked
// over HTTP against a real console in e2e/hardening*.spec.ts and test/integration/hardening*.

async function* chunks(parts: string[]) {
  for (const p of parts) yield new TextEncoder().encode(p);
}

describe('errors keep their meaning across module copies', () => {
  it('an AppError made by a second copy of lib/errors is still an AppError', async () => {
    // A query string makes the module loader evaluate the file a second time, as Next does for
    // the page and route handler graphs.
    const path = '../../lib/errors.ts?copy';
    const copy = (await import(/* @vite-ignore */ path)) as typeof import('@/lib/errors');
    expect(copy.AppError).not.toBe(AppError);
    const err = new copy.AppError('unknown_outcome:database', 'may have been applied');
    expect(err instanceof AppError).toBe(true);
    expect(publicError(err)).toMatchObject({ code: 'unknown_outcome:database', status: 503 });
    expect(publicError(new copy.AppError('not_found:resource', 'no node')).status).toBe(404);
    expect(new Error('x') instanceof AppError).toBe(false);
  });

  it('a subclass answers instanceof for its own instances only, not for every AppError', () => {
    class Narrow extends AppError {}
    const plain = new AppError('conflict:state', 'busy');
    const narrow = new Narrow('conflict:state', 'busy');
    expect(plain instanceof Narrow).toBe(false);
    expect(narrow instanceof Narrow).toBe(true);
    expect(narrow instanceof AppError).toBe(true);
    expect(new StepFailure('stopped') instanceof TakenOverError).toBe(false);
    expect(new TakenOverError('j1', null) instanceof StepFailure).toBe(false);
    expect(new TakenOverError('j1', null) instanceof TakenOverError).toBe(true);
  });
});

describe('logged errors carry no statement text', () => {
  it('drops mysql2 `sql` and masks passwords and "near" fragments', () => {
    const err = Object.assign(new Error("You have an error in your SQL syntax near 'hunter2' at line 1"), {
      code: 'ER_PARSE_ERROR',
      errno: 1064,
      sql: "CHANGE MASTER TO MASTER_PASSWORD='hunter2', ha1='0123abcd'",
      cause: { message: "IDENTIFIED BY 'hunter2'", sql: "SET ha1b='0123abcd'" },
    });
    const logged = JSON.stringify(redactError(err));
    expect(logged).not.toContain('hunter2');
    expect(logged).not.toContain('0123abcd');
    expect(logged).toContain('ER_PARSE_ERROR');
  });
});

describe('cross-site requests', () => {
  const req = (headers: Record<string, string>, body?: string) =>
    new Request('http://127.0.0.1:3000/api/v1/users', {
      method: 'POST',
      headers: { host: '127.0.0.1:3000', 'content-length': String(body?.length ?? 0), ...headers },
      body,
    });
  it('refuses a foreign Origin, a cross-site fetch and a text/plain body', () => {
    expect(
      crossSiteReason(req({ origin: 'http://evil.example', 'content-type': 'application/json' }, '{}')),
    ).toMatch(/Origin/);
    expect(
      crossSiteReason(req({ origin: 'http://127.0.0.1:3001', 'content-type': 'application/json' }, '{}')),
    ).toMatch(/Origin/);
    expect(
      crossSiteReason(req({ 'sec-fetch-site': 'same-site', 'content-type': 'application/json' }, '{}')),
    ).toMatch(/Sec-Fetch-Site/);
    expect(
      crossSiteReason(req({ origin: 'http://127.0.0.1:3000', 'content-type': 'text/plain' }, '{}')),
    ).toMatch(/Content-Type/);
  });
  it('lets the console itself through', () => {
    expect(
      crossSiteReason(
        req(
          { origin: 'http://127.0.0.1:3000', 'sec-fetch-site': 'same-origin', 'content-type': 'text/csv' },
          'a,b',
        ),
      ),
    ).toBeNull();
    expect(crossSiteReason(req({ 'content-type': 'application/json; charset=utf-8' }, '{}'))).toBeNull();
    const del = new Request('http://127.0.0.1:3000/api/v1/users/d/u', {
      method: 'DELETE',
      headers: { host: '127.0.0.1:3000' },
    });
    expect(crossSiteReason(del)).toBeNull();
  });
});

describe('bad input', () => {
  it('search text outside latin1 and fractional limits are field errors', () => {
    expect(searchText().safeParse('🙂').success).toBe(false);
    expect(searchText().safeParse('\u202eevil').success).toBe(false);
    expect(searchText().safeParse('müller').success).toBe(true);
    expect(pageLimit.safeParse('2.5').success).toBe(false);
    expect(pageLimit.safeParse('20').data).toBe(20);
    expect(userSearch.safeParse({ prefix: '🙂', limit: '2.5' }).error?.issues.map((i) => i.path[0])).toEqual([
      'prefix',
      'limit',
    ]);
  });

  it('domains are lower-cased at the boundary', () => {
    const rules = userRules({ domains: ['lab.sipha.test'], passwordMinLength: 8 });
    expect(rules.keyForm.parse({ username: 'alice', domain: 'LAB.SIPHA.TEST' }).domain).toBe(
      'lab.sipha.test',
    );
  });

  it('the CSV line limit holds inside one chunk, not only at chunk edges', async () => {
    const lines = [];
    for await (const l of readCsv(chunks([`ok,1\n${'x'.repeat(5000)}\nnext,2\n`]), { maxLineBytes: 4096 }))
      lines.push([l.line, l.error ?? l.fields.join('|')]);
    expect(lines).toEqual([
      [1, 'ok|1'],
      [2, 'line longer than 4096 bytes'],
      [3, 'next|2'],
    ]);
  });

  it('an exported cell never starts a formula', () => {
    for (const lead of ['=', '+', '-', '@', '\t', '\r'])
      expect(csvCell(`${lead}1+1`).replace(/^"/, '')).toMatch(/^'/);
    expect(csvCell('alice')).toBe('alice');
  });

  it('X-Forwarded-For counts only with trustProxy', () => {
    const h = new Headers({ 'x-forwarded-for': '203.0.113.9, 10.0.0.7' });
    expect(clientAddress(h, false)).toBe('direct');
    expect(clientAddress(h, true)).toBe('10.0.0.7');
  });
});

describe('every console page checks the role itself', () => {
  it('each page.tsx under app/(console) calls requirePageUser', () => {
    const root = join(process.cwd(), 'app/(console)');
    const pages: string[] = [];
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = join(d, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (f === 'page.tsx') pages.push(p);
      }
    };
    walk(root);
    expect(pages.length).toBeGreaterThan(5);
    expect(pages.filter((p) => !readFileSync(p, 'utf8').includes('requirePageUser('))).toEqual([]);
  });
});

describe('JSON bodies are bounded while streaming', () => {
  it('stops reading a 50 MB body soon after 16 KB', async () => {
    const { boundedText } = await import('@/lib/users/http');
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent >= 50 * 1024 * 1024) return c.close();
        sent += 64 * 1024;
        c.enqueue(new Uint8Array(64 * 1024).fill(32));
      },
    });
    const request = new Request('http://console/api/v1/users', {
      method: 'POST',
      body,
      duplex: 'half',
    } as RequestInit);
    await expect(boundedText(request)).rejects.toMatchObject({ code: 'bad_request:input' });
    expect(sent).toBeLessThan(1024 * 1024);
  });
});

describe('headers set per request (proxy.ts)', () => {
  /** A fresh copy of proxy.ts (it keeps the HSTS decision) reading a config with this cookie. */
  async function proxyWith(secureCookie: boolean) {
    const dir = mkdtempSync(join(tmpdir(), 'sipha-proxy-'));
    const file = join(dir, 'sipha.config.json');
    writeFileSync(file, JSON.stringify({ session: { secureCookie } }));
    const before = process.env.SIPHA_CONFIG;
    process.env.SIPHA_CONFIG = file;
    try {
      const path = `../../proxy.ts?secure=${secureCookie}`;
      const { proxy } = (await import(/* @vite-ignore */ path)) as typeof import('../../proxy');
      return proxy(new NextRequest('http://127.0.0.1:3000/users'));
    } finally {
      if (before === undefined) delete process.env.SIPHA_CONFIG;
      else process.env.SIPHA_CONFIG = before;
      rmSync(dir, { recursive: true });
    }
  }

  it('a fresh script nonce for each response, handed to Next with the request; no unsafe-inline script', async () => {
    const a = await proxyWith(true);
    const b = await proxyWith(true);
    const csp = a.headers.get('content-security-policy') ?? '';
    const scriptSrc = csp.split('; ').find((d) => d.startsWith('script-src')) ?? '';
    expect(scriptSrc).toMatch(/^script-src 'self' 'nonce-[A-Za-z0-9+/]{22}==' 'strict-dynamic'$/);
    expect(b.headers.get('content-security-policy')).not.toBe(csp);
    // Next reads the nonce from the request's CSP header and puts it on its own scripts.
    expect(a.headers.get('x-middleware-request-content-security-policy')).toBe(csp);
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('HSTS only where the session cookie is Secure', async () => {
    expect((await proxyWith(true)).headers.get('strict-transport-security')).toContain('max-age=');
    expect((await proxyWith(false)).headers.get('strict-transport-security')).toBeNull();
  });
});

describe('the production build is remade when its sources change', () => {
  it('proxy.ts (the CSP and HSTS headers) is one of its sources', async () => {
    const { sourceHash } = await import('../../lab/build.ts');
    const dir = mkdtempSync(join(tmpdir(), 'sipha-build-'));
    try {
      writeFileSync(join(dir, 'proxy.ts'), 'export const a = 1;\n');
      const before = sourceHash(dir);
      writeFileSync(join(dir, 'proxy.ts'), 'export const a = 2;\n');
      expect(sourceHash(dir)).not.toBe(before);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
