import { describe, expect, it } from 'vitest';
import { preflight } from './preflight';

const good = (addr: string) => ({
  wsrep_on: 'ON',
  wsrep_provider: '/usr/lib/galera/libgalera_smm.so',
  wsrep_cluster_name: 'sip',
  wsrep_cluster_address: addr,
  wsrep_sst_method: 'mariabackup',
  wsrep_sst_auth: '********',
  binlog_format: 'ROW',
  innodb_autoinc_lock_mode: '2',
  default_storage_engine: 'InnoDB',
});

describe('Galera bootstrap preflight', () => {
  it('passes nodes configured alike and writes my.cnf lines per node', () => {
    const addr = 'gcomm://10.0.0.1,10.0.0.2,10.0.0.3';
    const r = preflight(
      ['d1', 'd2', 'd3'].map((n, i) => ({ node: n, host: `10.0.0.${i + 1}`, vars: good(addr) })),
      { name: 'sip', gcommPort: 4567 },
    );
    expect(r.items.filter((i) => !i.ok)).toEqual([]);
    expect(r.cnf.d2).toContain('wsrep_node_name=d2');
    expect(r.cnf.d2).toContain('wsrep_cluster_address=gcomm://10.0.0.1:4567,10.0.0.2:4567,10.0.0.3:4567');
  });
  it('names each wrong or missing setting and never shows the SST password', () => {
    const bad = { ...good('gcomm://10.0.0.1'), binlog_format: 'MIXED', wsrep_sst_auth: '' };
    const r = preflight(
      [
        { node: 'd1', host: '10.0.0.1', vars: bad },
        { node: 'd2', host: '10.0.0.2', vars: null },
      ],
      { name: 'sip', gcommPort: 4567 },
    );
    const failed = r.items.filter((i) => !i.ok);
    expect(failed.filter((i) => i.node === 'd1').map((i) => i.setting)).toEqual([
      'binlog_format',
      'wsrep_cluster_address',
      'wsrep_sst_auth',
    ]);
    expect(failed.filter((i) => i.node === 'd2')).toHaveLength(9);
    expect(JSON.stringify(r)).not.toMatch(/\*{8}/);
  });
});
