import { describe, expect, it } from 'vitest';
import { syncedStatus } from '../../test/helpers/galera-status';
import { galeraFailover } from './failover-words';
import type { GaleraStatus } from './status';

const synced = syncedStatus();
const policy = { failback: 'auto' as const, failbackAfterMs: 3000 };
const words = (writer: string | null, status: Partial<GaleraStatus> | null, error: string | null = null) =>
  galeraFailover({
    writer,
    preferred: { name: 'd1', status: status ? { ...synced, ...status } : null, error },
    ...policy,
  })?.words ?? null;

describe('the failover banner in Galera words', () => {
  it('says nothing while the first node takes writes', () => {
    expect(words('d1', {})).toBeNull();
  });
  it('says why writes left the first node', () => {
    expect(words('d2', { clusterStatus: 'non-Primary', clusterSize: 1 })).toBe(
      'Writes moved to d2 because d1 left the primary component (non-Primary, cluster size 1).',
    );
    expect(words('d2', null, 'connection refused')).toBe(
      'Writes moved to d2 because d1 does not answer (connection refused).',
    );
    expect(words('d3', { localState: 'Donor/Desynced' })).toBe(
      'Writes moved to d3 because d1 is a state-transfer donor (Donor/Desynced).',
    );
    expect(words('d2', { localState: 'Joiner' })).toBe(
      'Writes moved to d2 because d1 is Joiner, not Synced.',
    );
  });
  it('says when the first node is back and when writes return to it', () => {
    expect(words('d2', {})).toBe('Writes go to d2; d1 is Synced again and takes them back after 3 s Synced.');
    expect(
      galeraFailover({
        writer: 'd2',
        preferred: { name: 'd1', status: synced, error: null },
        failback: 'manual',
        failbackAfterMs: 3000,
      })?.words,
    ).toMatch(/only when an admin moves them \(failback manual\)/);
  });
  it('says so when no node takes writes, without replication words', () => {
    const f = galeraFailover({
      writer: null,
      preferred: { name: 'd1', status: { ...synced, clusterStatus: 'non-Primary' }, error: null },
      ...policy,
    });
    expect(f).toMatchObject({ severity: 'down' });
    expect(f?.words).toBe(
      'No Galera node takes writes: none is Synced in a primary component; d1 left the primary component (non-Primary, cluster size 3).',
    );
    expect(f?.words).not.toMatch(/fenced|replica|restore/i);
  });
});
