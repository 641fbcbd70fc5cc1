import 'server-only';
import { audited } from '@/lib/audit/audited';
import { getConfig } from '@/lib/config/load';
import { changed, decide, newTrack, type Track } from './auto-lower-policy';
import { applyDrain } from './drain';
import { serverViews } from './view';

// Optional (dns.autoLower.enabled): every 2 s, a SIP server whose probes fail for afterSec is
// moved below the other priorities by the same signed update an operator's drain sends, and
// raised again after holdSec of answering. Every change, or refused change, is audited.

const g = globalThis as unknown as { __siphaAutoLower?: boolean };
const tracks = new Map<string, Track>();
let busy = false;

async function round(): Promise<void> {
  const cfg = getConfig();
  const auto = cfg.dns?.autoLower;
  if (!auto?.enabled || !cfg.dns?.update || busy) return;
  busy = true;
  try {
    for (const s of await serverViews(cfg)) {
      const t = tracks.get(s.name) ?? newTrack();
      tracks.set(s.name, t);
      const up = s.up.udp === null && s.up.tcp === null ? null : s.up.udp === true || s.up.tcp === true;
      const what = decide(t, up, Date.now(), auto);
      if (!what) continue;
      for (const domain of cfg.domains) {
        const op = what === 'lower' ? 'drain' : 'restore';
        const target = `${op} ${s.name} in ${domain} (automatic)`;
        await audited({
          actor: 'sipha',
          action: `dns.auto-${what}`,
          target: () => target,
          run: () => applyDrain({ domain, server: s.name, op, mode: 'priority' }),
          outcome: () => ({
            outcome: 'ok',
            detail: `${s.name} ${up ? 'answers again' : `failed its probes for ${auto.afterSec} s`}`,
          }),
        }).then(
          () => changed(t, what, Date.now()),
          () => undefined, // audited as failed; the next round tries again
        );
      }
    }
  } finally {
    busy = false;
  }
}

/** Starts the loop once per process; it does nothing unless dns.autoLower.enabled. */
export function startAutoLower(): void {
  if (g.__siphaAutoLower) return;
  g.__siphaAutoLower = true;
  setInterval(() => void round().catch((e) => console.error('[sipha] dns auto-lower', e)), 2000).unref();
}
