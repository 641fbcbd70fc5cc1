import type { Metadata } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { Providers } from '@/components/providers';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'sipha', template: '%s · sipha' },
  description: 'Administration console for replicated SIP deployments',
};

// Every page is rendered per request: Next puts the request's CSP nonce (proxy.ts) on its
// scripts only then; a page prerendered at build time would carry none and not run.
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
