import type { Metadata } from 'next';
import { requirePageUser } from '@/lib/auth/guard';
import { publicConfig } from '@/lib/config/load';

export const metadata: Metadata = { title: 'Settings' };

// Read-only: the configuration file is the source of truth; this page shows what is in force.
export default async function SettingsPage() {
  await requirePageUser('admin');
  const cfg = publicConfig();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Settings</h1>
      <p className="text-sm text-slate-600">
        From the configuration file (SIPHA_CONFIG); change it there and restart the console.
      </p>
      <section aria-labelledby="users-settings" className="space-y-2 rounded border border-slate-200 p-4">
        <h2 id="users-settings" className="font-semibold">
          SIP users
        </h2>
        <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm">
          <dt>Domains</dt>
          <dd>{cfg.domains.join(', ')}</dd>
          <dt>Minimum password length</dt>
          <dd>{cfg.users.passwordMinLength}</dd>
          <dt>Store plaintext passwords</dt>
          <dd>{cfg.users.storePlaintextPasswords ? 'yes' : 'no (only ha1 and ha1b)'}</dd>
        </dl>
        {cfg.users.storePlaintextPasswords && (
          <p role="alert" className="rounded border border-red-400 bg-red-50 px-3 py-2 text-sm text-red-900">
            Risk: <code>users.storePlaintextPasswords</code> is on, so every SIP password is kept readable in
            the <code>password</code> column on every database node and in every backup and binlog. Kamailio
            needs only ha1/ha1b; turn it off unless a tool really reads that column.
          </p>
        )}
      </section>
      <section aria-labelledby="nodes-settings" className="space-y-2 rounded border border-slate-200 p-4">
        <h2 id="nodes-settings" className="font-semibold">
          Connection list (in order)
        </h2>
        <ol className="list-decimal pl-5 text-sm">
          {cfg.nodes.map((n) => (
            <li key={n.name}>
              {n.name} — {n.host}:{n.port}/{n.database}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
