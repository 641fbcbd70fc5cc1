import type { Metadata } from 'next';
import { LoginForm } from './login-form';

export const metadata: Metadata = { title: 'Sign in' };

export default function LoginPage() {
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="text-2xl font-semibold">sipha</h1>
        <p className="mb-6 text-sm text-slate-600">Replicated SIP console: sign in to continue.</p>
        <LoginForm />
      </div>
    </main>
  );
}
