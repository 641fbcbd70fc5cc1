import Link from 'next/link';
import type { Role } from '@/lib/auth/roles';

const links: { href: string; label: string; role: Role }[] = [
  { href: '/', label: 'Overview', role: 'viewer' },
  { href: '/audit', label: 'Audit log', role: 'viewer' },
];

const rank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export function Nav({ role }: { role: Role }) {
  return (
    <nav aria-label="Main" className="flex gap-4 text-sm">
      {links
        .filter((l) => rank[role] >= rank[l.role])
        .map((l) => (
          <Link key={l.href} href={l.href} className="text-slate-200 hover:text-white">
            {l.label}
          </Link>
        ))}
    </nav>
  );
}
