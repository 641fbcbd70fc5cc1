// Parses `SELECT VERSION()` (plus, optionally, `@@version_comment`) into a flavour and a
// comparable version. Pure: no I/O, so the lab and the tests can use it too.

export type Flavor = 'mariadb' | 'mysql';

export interface ServerVersion {
  flavor: Flavor;
  major: number;
  minor: number;
  patch: number;
}

const VERSION_RE = /^(\d+)\.(\d+)\.(\d+)/;

export function detectFlavor(versionString: string, versionComment?: string | null): ServerVersion {
  // MariaDB advertises itself as "5.5.5-10.11.2-MariaDB" in the handshake; some proxies pass
  // that through to VERSION(), and the real version is the part after the fake prefix.
  const raw = versionString.trim().replace(/^5\.5\.5-(?=\d+\.\d+\.\d+-.*mariadb)/i, '');
  const match = VERSION_RE.exec(raw);
  if (!match) throw new Error(`Unrecognised server version: ${JSON.stringify(versionString)}`);
  const [major, minor, patch] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const text = `${raw} ${versionComment ?? ''}`.toLowerCase();
  // Custom MariaDB builds sometimes drop the "-MariaDB" suffix; MySQL has never had a major
  // version of 10 or more, so that is a safe tie-breaker.
  const flavor: Flavor = text.includes('mariadb') || major >= 10 ? 'mariadb' : 'mysql';
  return { flavor, major, minor, patch };
}

/** True when `v` is at least major.minor.patch (flavour is the caller's concern). */
export function atLeast(v: ServerVersion, major: number, minor = 0, patch = 0): boolean {
  if (v.major !== major) return v.major > major;
  if (v.minor !== minor) return v.minor > minor;
  return v.patch >= patch;
}

export function formatVersion(v: ServerVersion): string {
  return `${v.flavor === 'mariadb' ? 'MariaDB' : 'MySQL'} ${v.major}.${v.minor}.${v.patch}`;
}
