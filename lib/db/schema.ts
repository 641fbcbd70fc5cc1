import type { ColumnType, Generated } from 'kysely';

// Kamailio's own tables, exactly as /usr/share/kamailio/mysql/*-create.sql defines them (5.6).
// sipha reads and writes them as Kamailio does and never alters them.

export interface SubscriberTable {
  id: Generated<number>;
  username: string;
  domain: string;
  password: ColumnType<string, string | undefined, string>;
  ha1: string;
  ha1b: string;
}

export interface LocationTable {
  id: Generated<number>;
  ruid: string;
  username: string;
  domain: string | null;
  contact: string;
  received: string | null;
  path: string | null;
  expires: ColumnType<Date, Date | string, Date | string>;
  q: number;
  callid: string;
  cseq: number;
  last_modified: ColumnType<Date, Date | string, Date | string>;
  flags: number;
  cflags: number;
  user_agent: string;
  socket: string | null;
  methods: number | null;
  instance: string | null;
  reg_id: number;
  server_id: number;
  connection_id: number;
  keepalive: number;
  partition: number;
}

// sipha's own tables, all prefixed sipha_ (created by lib/db/migrations).

export interface SiphaNodeStateTable {
  node: string;
  fenced: number;
  reason: string;
  changed_at: ColumnType<Date, Date | string, Date | string>;
  epoch: number;
  changed_by: string;
}

export interface SiphaAccountTable {
  id: Generated<number>;
  username: string;
  password_hash: string;
  role: 'admin' | 'operator' | 'viewer';
  created_at: ColumnType<Date, Date | string | undefined, never>;
  failed_logins: ColumnType<number, number | undefined, number>;
  locked_until: Date | null;
  disabled: ColumnType<number, number | undefined, number>;
}

export interface SiphaSessionTable {
  id_hash: string;
  account_id: number;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  expires_at: Date;
  last_seen_at: ColumnType<Date | null, Date | undefined, Date>;
}

export interface SiphaLoginThrottleTable {
  source: string;
  username: string;
  failures: number;
  locked_until: Date | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface SiphaApiTokenTable {
  id: Generated<number>;
  name: string;
  token_hash: string;
  role: 'admin' | 'operator' | 'viewer';
  created_by: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

export interface SiphaAuditTable {
  id: Generated<number>;
  at: ColumnType<Date, Date | string | undefined, never>;
  actor: string;
  action: string;
  target: string;
  node: string | null;
  outcome: 'ok' | 'failed' | 'refused';
  detail: string;
}

export interface SiphaHeartbeatTable {
  node: string;
  beat_at: ColumnType<Date, Date | string, Date | string>;
  seq: number;
}

export interface SiphaWizardProbeTable {
  probe_id: string;
  run_id: string;
  origin: string;
  written_at: ColumnType<Date, Date | string, Date | string>;
}

/** One background job of any kind (lib/jobs): the kind's state as JSON. */
export interface SiphaJobTable {
  job_id: string;
  kind: string;
  status: string;
  /** The step running now; null between steps and at the end. */
  step: string | null;
  /** The console process running that step. */
  owner: string | null;
  target: ColumnType<string, string | undefined, string>;
  state: string;
  detail: ColumnType<string, string | undefined, string>;
  created_by: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  finished_at: Date | null;
}

export interface DB {
  subscriber: SubscriberTable;
  location: LocationTable;
  sipha_node_state: SiphaNodeStateTable;
  sipha_account: SiphaAccountTable;
  sipha_session: SiphaSessionTable;
  sipha_login_throttle: SiphaLoginThrottleTable;
  sipha_api_token: SiphaApiTokenTable;
  sipha_audit: SiphaAuditTable;
  sipha_heartbeat: SiphaHeartbeatTable;
  sipha_wizard_probe: SiphaWizardProbeTable;
  sipha_job: SiphaJobTable;
}
