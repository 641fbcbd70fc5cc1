import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { isLostSession } from './classify';

const err = (fields: { code?: string; errno?: number; message?: string }) =>
  Object.assign(new Error(fields.message ?? 'x'), fields);

describe('isLostSession: a session that breaks (the Galera evict watch)', () => {
  it('takes a socket closed with no word from the server for a process gone', () => {
    expect(
      isLostSession(
        err({
          code: 'PROTOCOL_CONNECTION_LOST',
          message: 'Connection lost: The server closed the connection.',
        }),
      ),
    ).toBe(true);
    expect(isLostSession(err({ code: 'ECONNRESET', errno: -104 }))).toBe(true);
    expect(isLostSession(err({ code: 'EPIPE' }))).toBe(true);
    expect(isLostSession(err({ message: "Can't add new command when connection is in closed state" }))).toBe(
      true,
    );
  });
  it('not a server that says it shuts down or killed the session, a timeout, or a refused connect', () => {
    expect(isLostSession(err({ code: 'ER_SERVER_SHUTDOWN', errno: 1053 }))).toBe(false);
    expect(isLostSession(err({ code: 'ER_CONNECTION_KILLED', errno: 1927 }))).toBe(false);
    expect(
      isLostSession(err({ code: 'PROTOCOL_SEQUENCE_TIMEOUT', message: 'Query inactivity timeout' })),
    ).toBe(false);
    expect(isLostSession(err({ code: 'ER_UNKNOWN_COM_ERROR', errno: 1047 }))).toBe(false);
    expect(
      isLostSession(new AppError('unavailable:database', 'Cannot open a session on d1: connection refused.')),
    ).toBe(false);
  });
});
