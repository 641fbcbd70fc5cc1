import { withRoute } from '@/lib/auth/guard';
import { AppError, publicError } from '@/lib/errors';
import { configuredRules } from '@/lib/users/configured';
import { parseWith } from '@/lib/users/http';
import { importUsers } from '@/lib/users/import';
import { IMPORT_MAX_BYTES, tooLargeWords } from '@/lib/users/import-limit';

export const dynamic = 'force-dynamic';

// POST a CSV body (`username,password[,domain]`, header optional; ?domain= for lines without
// one). The body is read as a stream, and the answer is a stream too: NDJSON, one
// {"type":"progress"} line per batch, then {"type":"done"} with the summary (or "error").
export const POST = withRoute('operator', 'user.import', async (request, { mutate }) => {
  const q = new URL(request.url).searchParams;
  const domain = q.get('domain')
    ? parseWith(configuredRules().keyForm.pick({ domain: true }), { domain: q.get('domain') }).domain
    : undefined;
  if (!request.body) throw new AppError('bad_request:input', 'Send the CSV file as the request body.');
  // Refused before anything is read: a larger body would reach this route cut short, and a
  // body of unknown length (chunked) could be cut without anyone knowing.
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (!Number.isFinite(declared))
    throw new AppError(
      'bad_request:input',
      'Send the file with its length (a Content-Length header, as a browser or `curl --data-binary @file` does): an upload of unknown length could be cut short unseen.',
    );
  if (declared > IMPORT_MAX_BYTES) throw new AppError('bad_request:input', tooLargeWords(declared));
  const body = request.body as unknown as AsyncIterable<Uint8Array>;
  const enc = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (obj: unknown) => controller.enqueue(enc.encode(`${JSON.stringify(obj)}\n`));
      let target = 'csv';
      try {
        const s = await mutate({
          target: () => target,
          via: 'csv',
          run: async () => {
            const s = await importUsers({
              input: body,
              defaultDomain: domain,
              onProgress: (p) => send({ type: 'progress', ...p }),
            });
            target = `${s.lines} lines`;
            return s;
          },
          outcome: (s) => ({
            outcome: 'ok',
            node: s.nodes.join(',') || null,
            detail: `inserted ${s.inserted}, updated ${s.updated}, unchanged ${s.unchanged}, confirmed ${s.confirmed}, invalid ${s.invalid}`,
          }),
        });
        send({ type: 'done', ...s });
      } catch (err) {
        const e = publicError(err);
        send({ type: 'error', error: { code: e.code, message: e.message, fields: e.fields ?? {} } });
      }
      controller.close();
    },
  });
  return new Response(stream, {
    headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' },
  });
});
