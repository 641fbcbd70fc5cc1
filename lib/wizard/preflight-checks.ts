import { type Dialect, plain, quoteString, type Statement } from '../dialect';
import type { NodeFacts } from './preflight-facts';
import { semiSyncCheck } from './preflight-semisync';
import type { Check } from './types';

// Turns the facts of every node into pass/fail checks with the reason and the fix. Pure, so the
// rules are unit-tested without servers. Dynamic fixes carry the statements "Apply" runs;
// static ones carry the node's my.cnf block and need a restart and a re-check.

export interface CheckWithFix extends Check {
  statements?: Statement[];
}

function proposals(facts: NodeFacts[]) {
  const ids = facts.map((f) => f.serverId);
  const domains = facts.map((f) => f.gtidDomainId);
  const used = new Set(ids.filter((id, i) => id > 0 && ids.indexOf(id) === i));
  let next = Math.max(0, ...ids) + 1;
  const serverId = facts.map((f, i) => {
    if (f.serverId > 0 && ids.indexOf(f.serverId) === i) return f.serverId;
    while (used.has(next)) next++;
    used.add(next);
    return next++;
  });
  const domainOk = (i: number) => domains.filter((d) => d === domains[i]).length === 1;
  return { serverId, domainOk };
}

export function buildChecks({
  facts,
  dialects,
  ring,
}: {
  facts: NodeFacts[];
  dialects: Dialect[];
  ring: boolean;
}): CheckWithFix[] {
  const n = facts.length;
  const p = proposals(facts);
  const first = facts[0]!;
  const out: CheckWithFix[] = [];
  facts.forEach((f, i) => {
    const d = dialects[i]!;
    const serverId = p.serverId[i]!;
    const gtidDomainId = f.gtidDomainId !== undefined && p.domainOk(i) ? f.gtidDomainId : i + 1;
    const cnf = d.myCnfLines({
      serverId,
      gtidDomainId,
      nodeCount: n,
      nodeIndex: i + 1,
      ...(f.logBinBasename ? { logBinBasename: f.logBinBasename } : {}),
    });
    const add = (c: Omit<CheckWithFix, 'node'>) => {
      const check: CheckWithFix = { ...c, node: f.name };
      if (c.statements) check.apply = c.statements.map((s) => s.display);
      out.push(check);
    };
    const setG = (name: string, value: string | number) => d.setGlobalPersistent({ name, value });
    const missing = d.requiredAdminPrivileges.filter((alts) =>
      alts.every((a) => (a === 'GRANT OPTION' ? !f.grantable : !f.privileges.has(a))),
    );
    add({
      id: 'privileges',
      label: 'Console account privileges',
      ok: missing.length === 0,
      severity: 'error',
      reason:
        missing.length === 0
          ? 'The configured account has what the wizard needs.'
          : `The configured account lacks: ${missing.map((m) => m.join(' or ')).join(', ')}.`,
      ...(missing.length
        ? {
            fix: `As an administrator on ${f.name}: GRANT ALL PRIVILEGES ON *.* TO <console user> WITH GRANT OPTION (or the privileges listed), then re-check.`,
          }
        : {}),
    });
    const sidOk = f.serverId > 0 && serverId === f.serverId;
    add({
      id: 'server_id',
      label: 'server_id unique and non-zero',
      ok: sidOk,
      severity: 'error',
      reason: sidOk
        ? `server_id = ${f.serverId}`
        : f.serverId === 0
          ? 'server_id is 0: replication is disabled.'
          : `server_id ${f.serverId} is also used by another node: each would ignore the other's events.`,
      ...(sidOk ? {} : { statements: [setG('server_id', serverId)], myCnf: cnf }),
    });
    add({
      id: 'log_bin',
      label: 'Binary log on',
      ok: f.logBin,
      severity: 'error',
      reason: f.logBin ? 'log_bin = ON' : 'log_bin is OFF: this node records nothing for its peer to read.',
      ...(f.logBin
        ? {}
        : {
            myCnf: cnf,
            fix: `log_bin is static: add the lines to ${f.name}'s my.cnf, restart it, then re-check.`,
          }),
    });
    const rowOk = f.binlogFormat.toUpperCase() === 'ROW';
    add({
      id: 'binlog_format',
      label: 'binlog_format ROW',
      ok: rowOk,
      severity: 'error',
      reason: rowOk
        ? 'binlog_format = ROW'
        : `binlog_format = ${f.binlogFormat}: statement-based events can apply differently on the peer.`,
      ...(rowOk ? {} : { statements: [setG('binlog_format', 'ROW')], myCnf: cnf }),
    });
    add({
      id: 'log_replica_updates',
      label: 'log_slave_updates on',
      ok: f.replicaUpdates,
      severity: ring ? 'error' : 'warning',
      reason: f.replicaUpdates
        ? 'log_slave_updates = ON'
        : ring
          ? 'OFF: in a ring each node must pass on what it applied from its peer.'
          : 'OFF: recommended for a pair (needed to add a third node later).',
      ...(f.replicaUpdates
        ? {}
        : { myCnf: cnf, fix: `Static: add the lines to ${f.name}'s my.cnf, restart it, then re-check.` }),
    });
    if (f.gtidDomainId !== undefined) {
      const ok = p.domainOk(i);
      add({
        id: 'gtid',
        label: 'Distinct gtid_domain_id',
        ok,
        severity: 'error',
        reason: ok
          ? `gtid_domain_id = ${f.gtidDomainId}`
          : `gtid_domain_id ${f.gtidDomainId} is shared with another node: their GTID streams would collide.`,
        ...(ok ? {} : { statements: d.enableGtid({ gtidDomainId: i + 1 }), myCnf: cnf }),
      });
    } else {
      const ok = f.gtidMode === 'ON' && f.enforceGtid === 'ON';
      add({
        id: 'gtid',
        label: 'GTID mode on',
        ok,
        severity: 'error',
        reason: ok
          ? 'gtid_mode = ON, enforce_gtid_consistency = ON'
          : `gtid_mode = ${f.gtidMode}, enforce_gtid_consistency = ${f.enforceGtid}`,
        ...(ok ? {} : { statements: d.enableGtid({ gtidDomainId: i + 1 }), myCnf: cnf }),
      });
    }
    const aiOk = f.autoIncrementIncrement === n && f.autoIncrementOffset === i + 1;
    add({
      id: 'auto_increment',
      label: `auto_increment_increment = ${n}, distinct offset`,
      ok: aiOk,
      severity: 'error',
      reason: aiOk
        ? `increment ${n}, offset ${i + 1}`
        : `increment ${f.autoIncrementIncrement}, offset ${f.autoIncrementOffset}: concurrent inserts on two nodes would take the same id and stop replication with error 1062.`,
      ...(aiOk
        ? {}
        : {
            statements: [setG('auto_increment_increment', n), setG('auto_increment_offset', i + 1)],
            myCnf: cnf,
            fix: 'Takes effect for new connections only: restart the SIP server and the console (or reconnect their database clients) afterwards.',
          }),
    });
    const anonOk = f.anonymous.length === 0;
    add({
      id: 'anonymous',
      label: 'No anonymous accounts',
      ok: anonOk,
      severity: 'warning',
      reason: anonOk
        ? 'none'
        : `${f.anonymous.length} anonymous account(s): anyone can log in without a password.`,
      ...(anonOk
        ? {}
        : {
            statements: [
              plain('SET SESSION sql_log_bin = 0'),
              ...f.anonymous.map((a) => plain(`DROP USER IF EXISTS ''@${quoteString(a.host)}`)),
              plain('SET SESSION sql_log_bin = 1'),
            ],
          }),
    });
    add(semiSyncCheck({ f, d, cnf }));
    const same =
      f.charset === first.charset && f.collation === first.collation && f.timeZone === first.timeZone;
    add({
      id: 'charset_tz',
      label: 'Same character set and time zone',
      ok: same,
      severity: 'error',
      reason:
        `${f.charset} / ${f.collation} / ${f.timeZone}` +
        (same ? '' : ` (${first.name}: ${first.charset} / ${first.collation} / ${first.timeZone})`),
      ...(same
        ? {}
        : {
            fix: `In ${f.name}'s my.cnf set character_set_server = ${first.charset}, collation_server = ${first.collation} and default_time_zone like ${first.name}, restart, re-check.`,
          }),
    });
    add({
      id: 'database',
      label: 'SIP database present',
      ok: i > 0 || f.databasePresent,
      severity: i === 0 ? 'error' : 'info',
      reason: f.databasePresent
        ? 'present'
        : i === 0
          ? 'missing on the first node, which is the source of the data'
          : 'absent: the initial-data step copies it',
    });
    if (f.replicaOf)
      add({
        id: 'replica',
        label: 'Existing replication',
        ok: true,
        severity: 'info',
        reason: `already replicates from ${f.replicaOf}; the wizard reconfigures it (tear down first for a clean start).`,
      });
  });
  return out;
}
