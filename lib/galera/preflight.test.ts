import { describe, expect, it } from 'vitest';
import { bootstrapItems, parseDefaults, portsOf, preflight } from './preflight';

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
  it("reads a node's my.cnf as my_print_defaults prints it, and the Galera ports it will listen on", () => {
    const cnf = parseDefaults(
      [
        '--port=3307',
        '--wsrep_on=ON',
        '--wsrep-sst-receive-address=10.0.0.2:4444',
        '--wsrep_provider_options=base_port=4567;gmcast.listen_addr=tcp://10.0.0.2:4567;ist.recv_addr=10.0.0.2:4568;gcache.size=64M',
        '--skip-name-resolve',
      ].join('\n'),
    );
    expect(cnf).toMatchObject({ port: '3307', wsrep_on: 'ON', skip_name_resolve: 'ON' });
    expect(portsOf(cnf)).toEqual({ gcomm: 4567, ist: 4568, sst: 4444 });
    expect(portsOf({ wsrep_provider_options: 'gmcast.listen_addr=tcp://0.0.0.0:5000' })).toEqual({
      gcomm: 5000,
      ist: 5001,
      sst: 4444,
    });
  });
  it('refuses a node of a running cluster, a taken port and a missing SST account, in words', () => {
    const items = bootstrapItems(
      [
        {
          node: 'd1',
          member: { localState: 'Synced', clusterStatus: 'Primary', clusterSize: 3, uuid: 'u-1', seqno: 42 },
          ports: [{ name: 'gcomm', host: '10.0.0.1', port: 4567, listening: true }],
        },
        { node: 'd2', member: null, ports: [{ name: 'sst', host: '10.0.0.2', port: 4444, listening: null }] },
      ],
      { node: 'd1', user: 'sst', exists: false },
    );
    expect(items.filter((i) => !i.ok).map((i) => `${i.node} ${i.setting}: ${i.have}`)).toEqual([
      'd1 cluster membership: Synced in a Primary component of 3 (state u-1, seqno 42): it belongs to a running cluster; join the others to it instead',
      'd1 gcomm port 10.0.0.1:4567: in use',
      'd1 SST account: missing',
    ]);
    // A port the console cannot reach either way does not block (a firewall between them).
    expect(items.find((i) => i.node === 'd2' && i.setting.startsWith('sst'))).toMatchObject({ ok: true });
  });
});
