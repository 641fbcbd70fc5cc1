import type { Metadata } from 'next';
import { requirePageUser } from '@/lib/auth/guard';
import { listTokens } from '@/lib/auth/tokens';
import { createTokenAction, revokeTokenAction } from './actions';
import { CreateTokenForm, RevokeButton } from './token-forms';

export const metadata: Metadata = { title: 'API tokens' };

const fmt = (d: Date | string | null) => (d ? new Date(d).toISOString().replace('T', ' ').slice(0, 16) : '—');

export default async function TokensPage() {
  await requirePageUser('admin');
  const tokens = await listTokens();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">API tokens</h1>
      <p className="text-sm text-slate-600">
        Bearer tokens for{' '}
        <a className="text-blue-700 underline" href="/api/v1/openapi.json">
          /api/v1
        </a>
        . A token is shown once, stored as a hash, and acts with its role; every API change is audited as{' '}
        <code>token:NAME</code>. Also from the shell: <code>npm run admin -- token create --role ROLE</code>.
      </p>
      <CreateTokenForm action={createTokenAction} />
      <table className="w-full text-sm">
        <caption className="sr-only">Tokens</caption>
        <thead>
          <tr className="border-b border-slate-300 text-left">
            <th scope="col" className="py-2">
              Name
            </th>
            <th scope="col">Role</th>
            <th scope="col">Created</th>
            <th scope="col">By</th>
            <th scope="col">Last used</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((t) => (
            <tr key={t.id} className="border-b border-slate-100">
              <td className="py-2 font-mono">{t.name}</td>
              <td>{t.role}</td>
              <td>{fmt(t.created_at)}</td>
              <td>{t.created_by}</td>
              <td>{t.last_used_at ? fmt(t.last_used_at) : 'never'}</td>
              <td>{t.revoked_at ? `revoked ${fmt(t.revoked_at)}` : 'active'}</td>
              <td>
                <RevokeButton
                  action={revokeTokenAction}
                  id={t.id}
                  name={t.name}
                  revoked={Boolean(t.revoked_at)}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {tokens.length === 0 && <p className="text-slate-600">No tokens yet.</p>}
    </div>
  );
}
