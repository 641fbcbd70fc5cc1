import { withRoute } from '@/lib/auth/guard';
import { csvCell } from '@/lib/users/csv';
import { parseWith } from '@/lib/users/http';
import { allUsers } from '@/lib/users/queries';
import { userSearch } from '@/lib/users/rules';

export const dynamic = 'force-dynamic';

// GET ?prefix=&domain= — the list as CSV (username,domain), streamed a batch at a time.
// Hashes are not exported: the file is for people, and HA1 is as good as a password.
export const GET = withRoute('viewer', null, async (request) => {
  // Validated before the stream starts: once the 200 is sent, an error can only cut the file.
  const q = parseWith(userSearch, Object.fromEntries(new URL(request.url).searchParams));
  const batches = allUsers({ prefix: q.prefix || undefined, domain: q.domain || undefined });
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
        enc.encode(next.value.map((u) => `${csvCell(u.username)},${csvCell(u.domain)}\n`).join('')),
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
