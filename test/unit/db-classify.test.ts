import { describe, expect, it } from 'vitest';
import { isConnectionError } from '@/lib/db/classify';
import { newestFenceState } from '@/lib/db/fence-store';

describe('which errors move the active node', () => {
  it('treats unreachability as a connection failure', () => {
    for (const code of [
      'ECONNREFUSED',
      'ECONNRESET',
      'ETIMEDOUT',
      'PROTOCOL_CONNECTION_LOST',
      'PROTOCOL_SEQUENCE_TIMEOUT',
    ])
      expect(isConnectionError({ code }), code).toBe(true);
    for (const errno of [1053, 1927, 2003, 2006, 2013])
      expect(isConnectionError({ errno }), String(errno)).toBe(true);
  });

  it('gives query errors back to the caller', () => {
    const queryErrors = [
      { code: 'ER_DUP_ENTRY', errno: 1062 },
      { code: 'ER_PARSE_ERROR', errno: 1064 },
      { code: 'ER_NO_SUCH_TABLE', errno: 1146 },
      { code: 'ER_ROW_IS_REFERENCED_2', errno: 1451 },
      { code: 'ER_LOCK_DEADLOCK', errno: 1213 },
      { code: 'ER_OPTION_PREVENTS_STATEMENT', errno: 1290 },
    ];
    for (const e of queryErrors) expect(isConnectionError(e), e.code).toBe(false);
    expect(isConnectionError(new Error('Duplicate entry'))).toBe(false);
  });
});

describe('shared fence state', () => {
  it('takes the view with the highest epoch', () => {
    const at = new Date();
    const old = {
      epoch: 1,
      nodes: new Map([['d1', { fenced: true, reason: 'failover', changedAt: at, changedBy: 'a' }]]),
    };
    const newer = {
      epoch: 2,
      nodes: new Map([['d1', { fenced: false, reason: 'restored', changedAt: at, changedBy: 'b' }]]),
    };
    expect(newestFenceState([old, null, newer]).nodes.get('d1')?.fenced).toBe(false);
    expect(newestFenceState([newer, old]).epoch).toBe(2);
    expect(newestFenceState([null]).epoch).toBe(0);
  });
});
