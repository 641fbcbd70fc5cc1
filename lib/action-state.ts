// The one result type every server action returns (STYLE.md); read by forms with useActionState.
export type ActionState =
  | { status: 'idle' }
  | { status: 'invalid'; fieldErrors: Record<string, string[]>; message?: string }
  | { status: 'failed'; message: string }
  | { status: 'saved'; message: string; node: string; warning?: string; secret?: string };

export const idle: ActionState = { status: 'idle' };
