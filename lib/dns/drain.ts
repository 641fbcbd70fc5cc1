import 'server-only';
import { getConfig } from '@/lib/config/load';
import { AppError } from '@/lib/errors';
import { type DrainMode, type DrainOp, type DrainPlan, memoName, planDrain } from './drain-plan';
import { query, update } from './query';
import { resolveSipDomain } from './rfc3263';
import { dnsServerViews } from './view';
import { type RR, type Srv, TYPE } from './wire';

// Drain and restore through RFC 2136 with TSIG. The plan is always made from what the
// authoritative server answers at that moment, for the preview and again for the change.

function updateConfig() {
  const u = getConfig().dns?.update;
  if (!u)
    throw new AppError('conflict:state', 'DNS updates are not configured (dns.update in sipha.config.json).');
  return u;
}

export async function previewDrain(a: {
  domain: string;
  server: string;
  op: DrainOp;
  mode: DrainMode;
}): Promise<DrainPlan> {
  const cfg = getConfig();
  const u = updateConfig();
  if (!cfg.domains.includes(a.domain))
    throw new AppError('bad_request:input', 'Unknown SIP domain.', {
      fields: { domain: ['not a configured SIP domain'] },
    });
  const server = (await dnsServerViews(cfg)).find((s) => s.name === a.server);
  if (!server)
    throw new AppError('bad_request:input', 'Unknown SIP server.', {
      fields: { server: ['not a configured SIP server'] },
    });
  const res = await resolveSipDomain(u.server, a.domain);
  if (res.error) throw new AppError('conflict:state', `The DNS server did not answer: ${res.error}`);
  const memoAnswer = await query(u.server, memoName(a.server, u.zone), TYPE.TXT);
  const plan = planDrain({
    res,
    zone: u.zone,
    server,
    op: a.op,
    mode: a.mode,
    memo: memoAnswer.records[0] ?? null,
  });
  if ('problem' in plan) throw new AppError('conflict:state', plan.problem);
  return plan;
}

const same = (x: RR, y: RR) => {
  const [a, b] = [x.data as Srv, y.data as Srv];
  return (
    x.name === y.name &&
    a.priority === b.priority &&
    a.weight === b.weight &&
    a.port === b.port &&
    a.target === b.target
  );
};

/** Sends the signed update, then resolves again and checks every new record is served. */
export async function applyDrain(a: {
  domain: string;
  server: string;
  op: DrainOp;
  mode: DrainMode;
}): Promise<{ plan: DrainPlan; at: string }> {
  const plan = await previewDrain(a);
  const u = updateConfig();
  try {
    await update({
      server: u.server,
      zone: u.zone,
      key: { name: u.keyName, secret: u.keySecret },
      remove: plan.remove,
      add: plan.add,
    });
  } catch (e) {
    throw new AppError('failed:internal', `The DNS server refused the update: ${(e as Error).message}`, {
      cause: e,
    });
  }
  const again = await resolveSipDomain(u.server, a.domain);
  const served = again.srv.flatMap((s) =>
    s.targets.map((t) => ({ name: s.name, type: TYPE.SRV, class: 1, ttl: t.ttl, data: t }) as RR),
  );
  const missing = plan.after.filter((r) => !served.some((x) => same(r, x)));
  if (missing.length)
    throw new AppError(
      'failed:internal',
      `The update was accepted but ${missing.length} record(s) are not served yet; resolve again in a moment.`,
    );
  return { plan, at: `${u.server.host}:${u.server.port}` };
}
