import Link from 'next/link';
import type { ReactNode } from 'react';

export interface UsersTableRow {
  id: number;
  username: string;
  domain: string;
}

/** The users list; `actions` renders a row's mutating controls (absent for viewers). */
export function UsersTable({
  rows,
  actions,
}: {
  rows: UsersTableRow[];
  actions?: (row: UsersTableRow) => ReactNode;
}) {
  if (!rows.length) return <p className="py-6 text-slate-600">No users match.</p>;
  return (
    <table className="w-full border-collapse text-sm">
      <caption className="sr-only">SIP users</caption>
      <thead>
        <tr className="border-b border-slate-300 text-left">
          <th scope="col" className="py-2 pr-4">
            Username
          </th>
          <th scope="col" className="py-2 pr-4">
            Domain
          </th>
          {actions && (
            <th scope="col" className="py-2">
              Actions
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id} className="border-b border-slate-100 align-top" data-testid="user-row">
            <td className="py-2 pr-4 font-mono">
              <Link
                href={`/users/${encodeURIComponent(r.domain)}/${encodeURIComponent(r.username)}`}
                className="hover:underline"
              >
                {r.username}
              </Link>
            </td>
            <td className="py-2 pr-4">{r.domain}</td>
            {actions && <td className="py-2">{actions(r)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
