import 'server-only';
import type { ActionState } from '@/lib/action-state';
import type { UserKey } from './cursor';
import { createUser, deleteUser, setPassword, type WriteResult } from './mutations';

/** "d3", or "d3 (cluster c2)" when several clusters are configured. */
const on = (r: WriteResult) => (r.cluster ? `${r.node} (cluster ${r.cluster})` : r.node);

// What the users page's server actions do once the wrapper has checked the role and parsed
// the form: one lib call, and a state that says on which node the write landed.

export async function addUserState(input: UserKey & { password?: string }): Promise<ActionState> {
  const r = await createUser(input);
  return {
    status: 'saved',
    message: `Added ${input.username}@${input.domain} on ${on(r)}.${r.generatedPassword ? ' The generated password is shown once below.' : ''}`,
    node: r.node,
    warning: r.warning,
    secret: r.generatedPassword,
  };
}

export async function setPasswordState(input: UserKey & { password: string }): Promise<ActionState> {
  const r = await setPassword(input);
  return {
    status: 'saved',
    message: `Changed the password of ${input.username}@${input.domain} on ${on(r)}.`,
    node: r.node,
    warning: r.warning,
  };
}

export async function deleteUserState(input: UserKey): Promise<ActionState> {
  const r = await deleteUser(input);
  const regs = r.registrations
    ? ` and ${r.registrations} registration${r.registrations === 1 ? '' : 's'}`
    : '';
  return {
    status: 'saved',
    message: `Deleted ${input.username}@${input.domain}${regs} on ${on(r)}.`,
    node: r.node,
    warning: r.warning,
  };
}
