import type { ReactNode } from 'react';
import { FailoverBanner } from '@/components/failover-banner';
import { Nav } from '@/components/nav';
import { requirePageUser } from '@/lib/auth/guard';
import { logout } from '../(auth)/login/actions';

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser('viewer');
  return (
    <>
      <header className="flex items-center justify-between bg-slate-900 px-6 py-3 text-white">
        <div className="flex items-center gap-8">
          <span className="text-lg font-semibold tracking-tight">sipha</span>
          <Nav role={user.role} />
        </div>
        <form action={logout} className="flex items-center gap-3 text-sm">
          <span className="text-slate-300">
            {user.username} · {user.role}
          </span>
          <button type="submit" className="rounded border border-slate-500 px-2 py-1 hover:bg-slate-800">
            Sign out
          </button>
        </form>
      </header>
      <FailoverBanner />
      <main className="mx-auto max-w-6xl p-6">{children}</main>
    </>
  );
}
