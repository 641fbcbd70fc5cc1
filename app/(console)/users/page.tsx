import type { Metadata } from 'next';
import Link from 'next/link';
import { UnavailableClusters } from '@/components/unavailable-clusters';
import { AddUserForm } from '@/components/users/add-user-form';
import { ImportPanel } from '@/components/users/import-panel';
import { RowActions } from '@/components/users/row-actions';
import { UsersTable } from '@/components/users/users-table';
import { requirePageUser } from '@/lib/auth/guard';
import { hasRole } from '@/lib/auth/roles';
import { getConfig } from '@/lib/config/load';
import { listUsers } from '@/lib/users/queries';
import { userSearch } from '@/lib/users/rules';
import { addUserAction, deleteUserAction, setPasswordAction } from './actions';

export const metadata: Metadata = { title: 'Users' };

type Search = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (typeof v === 'string' ? v.slice(0, 400) : undefined);

export default async function UsersPage({ searchParams }: { searchParams: Search }) {
  const user = await requirePageUser('viewer');
  const canEdit = hasRole(user.role, 'operator');
  const cfg = getConfig();
  const sp = await searchParams;
  const prefix = one(sp.prefix)?.slice(0, 64) ?? '';
  const domain = one(sp.domain) ?? '';
  const search = userSearch.safeParse({ prefix, domain, after: one(sp.after), before: one(sp.before) });
  const searchError = search.error?.issues[0]?.message;
  const page = await listUsers({
    prefix: prefix || undefined,
    domain: domain || undefined,
    after: searchError ? undefined : one(sp.after),
    before: searchError ? undefined : one(sp.before),
    // Text that cannot be stored cannot match: no query with it (latin1 tables refuse it).
    none: Boolean(searchError),
  });
  const link = (cursor: Record<string, string>) =>
    `/users?${new URLSearchParams({ ...(prefix ? { prefix } : {}), ...(domain ? { domain } : {}), ...cursor })}`;
  const exportHref = `/api/v1/users/export?${new URLSearchParams({ ...(prefix ? { prefix } : {}), ...(domain ? { domain } : {}) })}`;

  return (
    <div className="space-y-6">
      <div className="flex items-baseline justify-between">
        <h1 className="text-2xl font-semibold">Users</h1>
        <p className="text-sm text-slate-600" data-testid="user-counts">
          {page.matching} matching of {page.total} users · read from {page.node}
        </p>
      </div>
      <UnavailableClusters
        what="users"
        unavailable={page.unavailable}
        answered={cfg.clusters
          .map((c) => c.name)
          .filter((c) => !page.unavailable?.some((u) => u.cluster === c))}
      />
      {canEdit && (
        <AddUserForm action={addUserAction} domains={cfg.domains} minLength={cfg.users.passwordMinLength} />
      )}
      <search>
        <form method="get" action="/users" className="flex flex-wrap items-end gap-3">
          <div>
            <label htmlFor="search-prefix" className="block text-sm font-medium">
              Username starts with
            </label>
            <input
              id="search-prefix"
              name="prefix"
              defaultValue={prefix}
              maxLength={64}
              aria-invalid={Boolean(searchError)}
              aria-describedby="search-prefix-error"
              className="mt-1 rounded border border-slate-300 px-2 py-1"
            />
            <p id="search-prefix-error" className="text-sm text-red-700">
              {searchError}
            </p>
          </div>
          <div>
            <label htmlFor="search-domain" className="block text-sm font-medium">
              Domain
            </label>
            <select
              id="search-domain"
              name="domain"
              defaultValue={domain}
              className="mt-1 rounded border border-slate-300 px-2 py-1"
            >
              <option value="">All domains</option>
              {cfg.domains.map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="rounded border border-slate-400 px-3 py-1.5 text-sm">
            Search
          </button>
          <a href={exportHref} className="ml-auto text-sm text-blue-700 underline" download>
            Export CSV
          </a>
        </form>
      </search>
      <UsersTable
        rows={page.users}
        actions={
          canEdit
            ? (r) => (
                <RowActions
                  username={r.username}
                  domain={r.domain}
                  setPassword={setPasswordAction}
                  remove={deleteUserAction}
                />
              )
            : undefined
        }
      />
      <nav aria-label="Pages" className="flex gap-4 text-sm">
        {page.prev ? (
          <Link href={link({ before: page.prev })} className="text-blue-700 underline">
            ← Previous
          </Link>
        ) : (
          <span className="text-slate-400">← Previous</span>
        )}
        {page.next ? (
          <Link href={link({ after: page.next })} className="text-blue-700 underline">
            Next →
          </Link>
        ) : (
          <span className="text-slate-400">Next →</span>
        )}
      </nav>
      {canEdit && <ImportPanel domains={cfg.domains} />}
    </div>
  );
}
