import Link from 'next/link';

export default function Forbidden() {
  return (
    <main className="mx-auto max-w-xl p-10">
      <h1 className="text-2xl font-semibold">Not allowed</h1>
      <p className="mt-2 text-slate-600">
        Your role does not allow this. The attempt has been recorded in the audit log.
      </p>
      <Link href="/" className="mt-4 inline-block text-blue-700 underline">
        Back to the overview
      </Link>
    </main>
  );
}
