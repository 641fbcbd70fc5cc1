import { describe, expect, it, vi } from 'vitest';
import { AppError } from '@/lib/errors';
import { ClusterDeadlineError, unavailableLine, unavailableReason } from './unavailable-words';

vi.mock('./registry', () => ({
  connectionListOf: async () => {
    throw new Error('no configuration in a unit test');
  },
}));

const down = (name: string) => ({ name, down: true, fenced: false });

describe('why a cluster is missing from a page spanning clusters', () => {
  it('says no database node answers, whatever node and error text the list gave', () => {
    const err = new AppError(
      'unavailable:database',
      'No database node can take writes (down: d3, d4; fenced: none).',
    );
    const reason = unavailableReason({ cluster: 'c2', error: err, nodes: [down('d3'), down('d4')] });
    expect(reason).toBe('no database node of c2 answers');
    expect(unavailableLine('registrations', { cluster: 'c2', reason })).toBe(
      'c2: registrations unavailable — no database node of c2 answers',
    );
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:3306'), { code: 'ECONNREFUSED' });
    expect(unavailableReason({ cluster: 'c2', error: refused })).toBe('no database node of c2 answers');
    expect(unavailableReason({ cluster: 'c2', error: new ClusterDeadlineError(5000) })).toBe(
      'no database node of c2 answered within 5 s',
    );
  });

  it('tells fenced nodes apart from nodes that do not answer', () => {
    const err = new AppError('unavailable:database', 'x');
    expect(
      unavailableReason({
        cluster: 'c2',
        error: err,
        nodes: [down('d3'), { name: 'd4', down: false, fenced: true }],
      }),
    ).toBe('every database node of c2 is down or fenced (down: d3; fenced: d4)');
    // Fenced after a failover and then gone too: it does not answer either.
    expect(
      unavailableReason({ cluster: 'c2', error: err, nodes: [{ ...down('d3'), fenced: true }, down('d4')] }),
    ).toBe('no database node of c2 answers');
  });

  it('never shows SQL or a stack: a query error is the generic logged message', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const sqlError = Object.assign(new Error("You have an error in your SQL syntax near 'SELECT secret'"), {
      code: 'ER_PARSE_ERROR',
      errno: 1064,
      sql: "SELECT 'secret'",
    });
    const reason = unavailableReason({ cluster: 'c2', error: sqlError });
    expect(reason).toBe('Something went wrong on the server; it has been logged.');
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
    expect(
      unavailableReason({
        cluster: 'c2',
        error: new AppError('failed:database', 'The connection to d3 keeps breaking.'),
      }),
    ).toBe('The connection to d3 keeps breaking.');
  });
});

describe('acrossClusters', () => {
  it('keeps the clusters that answered and names the one that failed or hung, with its reason', async () => {
    const { acrossClusters } = await import('./across');
    const t0 = Date.now();
    const r = await acrossClusters({
      clusters: ['c1', 'c2', 'c3'],
      deadlineMs: 200,
      read: async (c) => {
        if (c === 'c2') throw new AppError('unavailable:database', 'No database node can take writes.');
        if (c === 'c3') return new Promise<string>(() => {});
        return `${c} rows`;
      },
    });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r).toEqual({
      answered: [{ cluster: 'c1', value: 'c1 rows' }],
      unavailable: [
        { cluster: 'c2', reason: 'no database node of c2 answers' },
        { cluster: 'c3', reason: 'no database node of c3 answered within 0.2 s' },
      ],
    });
  });
});
