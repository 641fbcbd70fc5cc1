import 'server-only';

// Replication passwords live only in this process's memory, between the step that sets them
// on the source and the CHANGE MASTER that hands them to the replica. They are never stored,
// logged or audited; after a console restart the next step simply sets a new one.

const g = globalThis as unknown as { __siphaWizardSecrets?: Map<string, string> };
g.__siphaWizardSecrets ??= new Map();
const secrets = g.__siphaWizardSecrets;

const key = (runId: string, source: string, replica: string) => `${runId}:${source}:${replica}`;

export function rememberPassword(args: {
  runId: string;
  source: string;
  replica: string;
  password: string;
}): void {
  secrets.set(key(args.runId, args.source, args.replica), args.password);
}

export function recallPassword(args: { runId: string; source: string; replica: string }): string | undefined {
  return secrets.get(key(args.runId, args.source, args.replica));
}

export const REPLICATION_USER = 'sipha_repl';
