import type { Entry } from './advice-data.ts';

// Connection (I/O thread) and GTID errors. Client-side codes (2003, 2005, 2026) come from the
// replica's own connector, so they describe the network path to the peer, not the peer's data.

export const CONNECT_ERRORS: Record<number, Entry> = {
  1045: (c) => ({
    title: 'Replication login refused',
    meaning:
      `${c.peer} rejected the replication user of ${c.here}: wrong password, the user does not exist, ` +
      `or it exists for a different host than the address ${c.here} connects from.`,
    fix: [
      `On ${c.peer}, (re)create the replication user for ${c.here}'s address and GRANT REPLICATION SLAVE ON *.* to it.`,
      `On ${c.here}, run CHANGE MASTER / CHANGE REPLICATION SOURCE again with that user and password, then start the replica.`,
      'MySQL 8 (caching_sha2_password): the replica also needs GET_SOURCE_PUBLIC_KEY=1 or SSL.',
    ],
    severity: 'error',
  }),
  2003: (c) => ({
    title: `Cannot reach ${c.peer}`,
    meaning:
      `${c.here} could not open a TCP connection to ${c.peer}. The database there may be down, a firewall may ` +
      'block the port, or the server listens only on 127.0.0.1 (bind-address) or on another port.',
    fix: [
      `Check that the database on ${c.peer} is running.`,
      `From ${c.here}: nc -vz <peer address> <port> — "refused" means nothing listens there, a timeout means a firewall.`,
      `On ${c.peer}: bind-address must not be 127.0.0.1; the port must match MASTER_PORT / SOURCE_PORT.`,
      'The replica keeps retrying on its own (Connecting); once fixed it resumes without a rebuild.',
    ],
    severity: 'error',
  }),
  2005: (c) => ({
    title: `Unknown host name for ${c.peer}`,
    meaning: `${c.here} cannot resolve the host name configured for ${c.peer} (DNS or /etc/hosts).`,
    fix: [
      `Fix name resolution on ${c.here}, or run CHANGE MASTER / CHANGE REPLICATION SOURCE again with the IP address.`,
    ],
    severity: 'error',
  }),
  2026: (c) => ({
    title: 'TLS/SSL connection failed',
    meaning:
      `The encrypted connection from ${c.here} to ${c.peer} could not be set up: certificate not trusted or ` +
      'expired, host name mismatch, or one side has SSL disabled while the other requires it.',
    fix: [
      `Check the certificates on ${c.peer} (have_ssl / ssl_cert) and the MASTER_SSL_* / SOURCE_SSL_* settings on ${c.here}.`,
      'Do not simply turn verification off on a link that crosses an untrusted network.',
    ],
    severity: 'error',
  }),
  1593: (c) => ({
    title: 'Fatal replication error (often: both nodes have the same server_id)',
    meaning:
      'The replica stopped for a reason it cannot retry. The usual cause in a fresh pair is that ' +
      `${c.peer} and this node share a server_id (or, on MySQL, the same server_uuid after copying a data directory): each would ` +
      'ignore the other\u2019s changes as its own, so the server refuses to replicate.',
    fix: [
      'Read the text after "Fatal error:" — it names the cause.',
      'Same server_id: give each node a unique server_id in my.cnf (SET GLOBAL server_id works until restart).',
      'Same server_uuid (MySQL): delete auto.cnf in the copied data directory and restart that node.',
    ],
    severity: 'critical',
  }),
  1950: (c) => ({
    title: 'GTID out of order (MariaDB strict mode)',
    meaning:
      `${c.here} was about to log a GTID with a sequence number lower than one it already has in the same ` +
      'domain. Both nodes have written in the same gtid_domain_id, or a local write slipped in on the replica.',
    fix: [
      'Give each node its own gtid_domain_id (SET GLOBAL and my.cnf), so their GTID streams never interleave.',
      'Compare the data on both nodes before restarting; a local write on the replica may have diverged it.',
    ],
    severity: 'critical',
  }),
  1951: (c) => ({
    title: 'GTID missing from the source binlog (MariaDB strict mode)',
    meaning:
      `${c.peer}'s binlog lacks a GTID ${c.here} needs even though later ones exist: the histories of the two ` +
      'nodes have diverged.',
    fix: [
      `Rebuild ${c.here} from a fresh consistent snapshot of ${c.peer}.`,
      'Check that each node has a distinct gtid_domain_id and server_id.',
    ],
    severity: 'critical',
  }),
};
