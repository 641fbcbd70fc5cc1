import Link from 'next/link';
import type { Role } from '@/lib/auth/roles';

// Every area of the console; a link shows only to roles that may open the page.
const links: { href: string; label: string; role: Role }[] = [
  { href: '/', label: 'Overview', role: 'viewer' },
  { href: '/users', label: 'Users', role: 'viewer' },
  { href: '/registrations', label: 'Registrations', role: 'viewer' },
  { href: '/health', label: 'Health', role: 'viewer' },
  { href: '/dns', label: 'DNS', role: 'viewer' },
  { href: '/galera', label: 'Galera', role: 'viewer' },
  { href: '/replication', label: 'Replication', role: 'admin' },
  { href: '/restore', label: 'Restore', role: 'admin' },
  { href: '/shards', label: 'Shards', role: 'admin' },
  { href: '/tokens', label: 'API tokens', role: 'admin' },
  { href: '/settings', label: 'Settings', role: 'admin' },
  { href: '/audit', label: 'Audit log', role: 'viewer' },
];

const rank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export function Nav({ role }: { role: Role }) {
  return (
    <nav aria-label="Main" className="flex flex-wrap gap-4 text-sm">
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
