import { withRoute } from '@/lib/auth/guard';
import { allUsers } from '@/lib/users/queries';

export const dynamic = 'force-dynamic';

/** Spreadsheets run a cell starting with = as a formula (+ and - stay: phone numbers). */
function cell(v: string): string {
  const safe = v.startsWith('=') ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

// GET ?prefix=&domain= — the list as CSV (username,domain), streamed a batch at a time.
// Hashes are not exported: the file is for people, and HA1 is as good as a password.
export const GET = withRoute('viewer', null, async (request) => {
  const q = new URL(request.url).searchParams;
  const batches = allUsers({
    prefix: q.get('prefix')?.slice(0, 64) || undefined,
    domain: q.get('domain')?.slice(0, 64) || undefined,
  });
  const enc = new TextEncoder();
  let header = true;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (header) {
        header = false;
        controller.enqueue(enc.encode('username,domain\n'));
        return;
      }
      const next = await batches.next();
      if (next.done) return controller.close();
      controller.enqueue(
        enc.encode(next.value.map((u) => `${cell(u.username)},${cell(u.domain)}\n`).join('')),
      );
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
  return new Response(stream, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="sip-users.csv"',
      'cache-control': 'no-store',
    },
  });
});
