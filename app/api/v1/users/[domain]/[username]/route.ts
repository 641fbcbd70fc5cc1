import { withRoute } from '@/lib/auth/guard';
import { AppError } from '@/lib/errors';
import { configuredRules } from '@/lib/users/configured';
import { parseJson, parseWith } from '@/lib/users/http';
import { deleteUser, setPassword } from '@/lib/users/mutations';
import { getUser } from '@/lib/users/queries';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ domain: string; username: string }> };

async function keyOf(ctx: Ctx) {
  const p = await ctx.params;
  return parseWith(configuredRules().keyForm, { username: p.username, domain: p.domain });
}

export const GET = withRoute<Ctx>('viewer', null, async (_request, ctx) => {
  const key = await keyOf(ctx);
  const u = await getUser(key);
  if (!u) throw new AppError('not_found:user', 'No such user.');
  return Response.json({ user: u });
});

// PATCH {password}: recomputes ha1 and ha1b.
export const PATCH = withRoute<Ctx>('operator', 'user.password', async (request, ctx) => {
  const p = await ctx.params;
  const r = await ctx.mutate({
    target: () => `${p.username}@${p.domain}`.slice(0, 255),
    run: async () => {
      const key = await keyOf(ctx);
      const { password } = await parseJson(request, configuredRules().apiPatch);
      return setPassword({ ...key, password });
    },
  });
  return Response.json({ node: r.node, warning: r.warning ?? null });
});

// DELETE: the subscriber and its location rows, as `kamctl rm` does.
export const DELETE = withRoute<Ctx>('operator', 'user.delete', async (_request, ctx) => {
  const p = await ctx.params;
  const r = await ctx.mutate({
    target: () => `${p.username}@${p.domain}`.slice(0, 255),
    run: async () => deleteUser(await keyOf(ctx)),
    outcome: (x) => ({
      outcome: 'ok',
      node: x.node,
      detail: `api; ${x.registrations} registration(s) removed`,
    }),
  });
  return Response.json({ node: r.node, warning: r.warning ?? null, registrations: r.registrations });
});
