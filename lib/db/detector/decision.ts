import { CONSOLE_DISABLED_ABOVE_S } from '@/lib/sip/dbcl-order';
import { describeConnectionError } from '../probe';
import type { ChannelObs, DecideOptions, NodeObs, SipObs, Snapshot, Verdict } from './types';

// Turns the prober's observations into a verdict per node. A refused or reset connection is a
// fast, sure signal. A silence is not: the console itself may be stalled, starved or cut off.
// So a silent node is "down" only when (1) several probes on fresh connections went without
// answer for silenceMs of time the prober was really running, and (2) every peer that can tell
// has stopped receiving from it too (IO thread down, or no event nor heartbeat for 3 heartbeat
// periods). A peer that received from it after the console lost it means the console is the
// one cut off: no failover. The SIP servers' view (db_cluster over JSON-RPC) adds to it: a SIP
// server still using the node well after the console lost it shows it answers (cut off again,
// unless a peer has stopped receiving from it);
// every SIP server that used it having marked it inactive supports a failover, and lets it
// happen when no peer replicates from the node (instead of waiting twice the silence).

const ms = (x: number) => `${Math.round(x)} ms`;

// silent: receives nothing from it; alive: received from it after the console lost it; wait: too
// early to tell; unasked: the peer itself did not answer; blind: it answered but cannot tell.
type PeerView = { kind: 'silent' | 'alive' | 'wait' | 'unasked' | 'blind'; words: string };

/** How long a peer's channel must be still before it counts as "receives nothing". */
export function peerQuietMs(periodMs: number | null): number | null {
  if (!periodMs || periodMs > 5000) return null; // heartbeats too rare to tell in time
  return Math.max(3 * periodMs + 100, 400);
}

function channelFrom(peer: NodeObs, target: NodeObs, opts: DecideOptions): ChannelObs | undefined {
  const a = opts.addr.get(target.name);
  const sid = target.ok?.serverId;
  return peer.channels?.find(
    (c) => (sid && c.serverId === sid) || (a && c.host === a.host && c.port === a.port),
  );
}

function peerView(peer: NodeObs, target: NodeObs, since: number, opts: DecideOptions): PeerView {
  const who = `${peer.name}`;
  if (peer.hardFail) return { kind: 'blind', words: `${who} is down itself` };
  if (peer.lastOkAt === null || peer.lastOkAt < since)
    return { kind: 'unasked', words: `${who} could not be asked` };
  if (peer.channels === null) return { kind: 'blind', words: `${who} does not show its replication` };
  const c = channelFrom(peer, target, opts);
  if (!c) return { kind: 'blind', words: `${who} does not replicate from ${target.name}` };
  if (c.io !== 'Yes')
    return { kind: 'silent', words: `${who}'s replication from ${target.name} is ${c.io.toLowerCase()}` };
  const quiet = peerQuietMs(c.periodMs);
  if (quiet === null) return { kind: 'blind', words: `${who}'s heartbeat from ${target.name} is too rare` };
  const last = c.changedAt ?? c.firstSeen;
  const age = c.sampledAt - last;
  if (age >= quiet)
    return { kind: 'silent', words: `${who} received no event from ${target.name} for ${ms(age)}` };
  // Received after the console lost it (beyond what sampling lag could explain): it is alive.
  if (c.changedAt !== null && c.changedAt >= since + opts.intervalMs + quiet)
    return {
      kind: 'alive',
      words: `${who} still receives from ${target.name} (last event ${ms(age)} before it was asked)`,
    };
  return { kind: 'wait', words: `${who} last received from ${target.name} ${ms(age)} ago` };
}

// inactive: db_cluster marked it failed; uses: its writer well after the console lost it;
// early: its writer, too soon for db_cluster to have noticed a hang; unasked: no answer since.
type SipKind = 'inactive' | 'uses' | 'early' | 'unasked';

function sipView(s: SipObs, target: string, since: number, opts: DecideOptions): SipKind | null {
  if (!s.order.includes(target)) return null;
  if (s.sentAt === null || s.sentAt < since || !s.conns) return 'unasked';
  const c = s.conns.find((x) => x.node === target);
  // Not in its list, or taken out by the console (a fence): the server says nothing about it.
  if (!c || c.secondsLeft > CONSOLE_DISABLED_ABOVE_S) return null;
  if (c.state === 'disabled') return 'inactive';
  const using = s.order.find((n) => s.conns?.find((x) => x.node === n)?.state === 'active');
  if (using !== target) return null; // a backup it has not needed: it has not tried the node
  return s.sentAt - since >= opts.sipGraceMs ? 'uses' : 'early';
}

const and = (names: string[]) =>
  names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;

/** The SIP servers' view of `target` in words, grouped by kind. */
function sipViews(snap: Snapshot, target: string, since: number, opts: DecideOptions) {
  const by = new Map<SipKind, string[]>();
  for (const s of snap.sip ?? []) {
    const k = sipView(s, target, since, opts);
    if (k) by.set(k, [...(by.get(k) ?? []), s.name]);
  }
  const names = (k: SipKind) => by.get(k) ?? [];
  const still = (k: SipKind) => `${and(names(k))} still ${names(k).length > 1 ? 'use' : 'uses'} ${target}`;
  const words: string[] = [];
  if (names('inactive').length) words.push(`${and(names('inactive'))} marked ${target} inactive`);
  const aliveWords = names('uses').length ? [still('uses')] : [];
  words.push(...aliveWords);
  if (names('early').length) words.push(`${still('early')} (too soon to tell)`);
  if (names('unasked').length) words.push(`${and(names('unasked'))} could not be asked`);
  const users = names('inactive').length + names('uses').length + names('early').length;
  return {
    words,
    aliveWords,
    allInactive: users > 0 && names('inactive').length === users,
  };
}

export function decideNode(n: NodeObs, snap: Snapshot, opts: DecideOptions): Verdict {
  const name = n.name;
  if (n.hardFail) {
    const err = { code: n.hardFail.code ?? undefined, errno: n.hardFail.errno ?? undefined };
    return { name, state: 'down', words: describeConnectionError(err), ...err };
  }
  const silent = n.silentSince === null ? 0 : snap.t - n.silentSince - n.stallMs;
  if (n.silentSince === null || silent < opts.silenceMs || n.silentProbes < 2) {
    const state = n.lastOkAt === null ? 'suspect' : 'up';
    const words =
      n.stallMs > 0 ? `answers (the prober's own delay of ${ms(n.stallMs)} discounted)` : 'answers';
    return { name, state, words };
  }
  const probes = `${n.silentProbes} probes over ${ms(snap.t - n.silentSince)} without answer${
    n.stallMs > 0 ? ` (${ms(n.stallMs)} of the prober's own delay discounted)` : ''
  }`;
  const since = n.silentSince;
  const views = snap.nodes.filter((p) => p.name !== name).map((p) => peerView(p, n, since, opts));
  const alive = views.filter((v) => v.kind === 'alive');
  const sip = sipViews(snap, name, since, opts);
  // A peer that stopped receiving outweighs a SIP server still listing the node in use: events
  // flowing are proof of life, db_cluster's "active" only says no query has failed yet (a SIP
  // server without traffic never notices a hang).
  const peerSilent = views.some((v) => v.kind === 'silent');
  if (alive.length || (sip.aliveWords.length && !peerSilent)) {
    const seen = [...alive.map((v) => v.words), ...sip.aliveWords];
    return {
      name,
      state: 'cut-off',
      words: `${probes}, but ${seen.join(', ')}: the console is cut off from ${name}, not failing over`,
    };
  }
  const words = [probes, ...views.map((v) => v.words), ...sip.words].join('; ');
  // A peer that did not answer either may mean the console is the one starved or cut off.
  if (views.some((v) => v.kind === 'wait' || v.kind === 'unasked')) return { name, state: 'suspect', words };
  if (peerSilent) return { name, state: 'down', words, code: 'SIPHA_PROBE_TIMEOUT' };
  // No peer can tell (none replicates from it): the SIP servers that used it, when they all
  // marked it inactive, or else the probes alone over a longer silence.
  if (sip.allInactive || silent >= 2 * opts.silenceMs)
    return { name, state: 'down', words, code: 'SIPHA_PROBE_TIMEOUT' };
  return { name, state: 'suspect', words };
}

export function decide(snap: Snapshot, opts: DecideOptions): Verdict[] {
  return snap.nodes.map((n) => decideNode(n, snap, opts));
}
