import { withRoute } from '@/lib/auth/guard';
import { getConfig } from '@/lib/config/load';
import { configuredRules } from '@/lib/users/configured';
import { parseJson, parseWith } from '@/lib/users/http';
import { createUser } from '@/lib/users/mutations';
import { listUsers } from '@/lib/users/queries';
import { userSearch } from '@/lib/users/rules';

export const dynamic = 'force-dynamic';

// GET ?prefix=&domain=&after=&before=&limit= — one keyset page, sorted by username.
export const GET = withRoute('viewer', null, async (request) => {
  const q = parseWith(userSearch, Object.fromEntries(new URL(request.url).searchParams));
  const page = await listUsers({
    prefix: q.prefix || undefined,
    domain: q.domain || undefined,
    after: q.after,
    before: q.before,
    limit: q.limit ?? 50,
  });
  return Response.json(page);
});

// POST {username, domain?, password?}: a missing password is generated and returned once.
export const POST = withRoute('operator', 'user.create', async (request, { mutate }) => {
  let target = '/api/v1/users';
  const r = await mutate({
    target: () => target,
    run: async () => {
      const body = await parseJson(request, configuredRules().apiCreate);
      const key = { username: body.username, domain: body.domain ?? getConfig().domains[0]! };
      target = `${key.username}@${key.domain}`;
      return { key, ...(await createUser({ ...key, password: body.password })) };
    },
    outcome: (x) => ({
      outcome: 'ok',
      node: x.node,
      detail: x.generatedPassword ? 'api; password generated' : 'api',
    }),
  });
  return Response.json(
    {
      user: r.key,
      node: r.node,
      warning: r.warning ?? null,
      ...(r.generatedPassword ? { password: r.generatedPassword } : {}),
    },
    { status: 201, headers: { 'cache-control': 'no-store' } },
  );
});
