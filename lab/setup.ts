import { execFileSync, execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MODULES } from './kamailio.ts';
import { MARIADBD } from './mariadb.ts';

export const APT_LINE =
  'DEBIAN_FRONTEND=noninteractive apt-get install -y mariadb-server kamailio kamailio-mysql-modules sip-tester bind9 bind9-dnsutils baresip gcc galera-4 galera-arbitrator-4 mariadb-backup socat nftables iproute2';

function onPath(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function missing(): string[] {
  const m: string[] = [];
  if (!existsSync(MARIADBD)) m.push('mariadbd');
  if (!onPath('mariadb-install-db')) m.push('mariadb-install-db');
  if (!onPath('kamailio')) m.push('kamailio');
  if (!existsSync(join(MODULES, 'db_mysql.so'))) m.push('kamailio db_mysql module');
  if (!onPath('sipp')) m.push('sipp');
  if (!existsSync('/usr/sbin/named')) m.push('named (bind9)');
  // Galera (`up --engine galera`): the provider, garbd, and SST by mariabackup over socat.
  if (!existsSync('/usr/lib/galera/libgalera_smm.so')) m.push('galera-4');
  if (!onPath('garbd')) m.push('garbd');
  if (!onPath('mariabackup') && !onPath('mariadb-backup')) m.push('mariadb-backup');
  if (!onPath('socat')) m.push('socat');
  if (!onPath('nft')) m.push('nftables');
  return m;
}

/** Installs what is missing (as root), or says exactly what to run; then npm ci if needed. */
export function setup(repoRoot: string, log: (l: string) => void): boolean {
  const m = missing();
  if (m.length > 0) {
    if (process.getuid?.() !== 0) {
      log(`✗ missing: ${m.join(', ')}. As root run:\n  apt-get update && ${APT_LINE}`);
      return false;
    }
    log(`… installing ${m.join(', ')}`);
    execSync(`apt-get update && ${APT_LINE}`, { stdio: 'inherit' });
    const still = missing();
    if (still.length > 0) {
      log(`✗ still missing after apt-get: ${still.join(', ')}`);
      return false;
    }
  }
  log('✓ mariadbd, kamailio (db_mysql), sipp, named, galera-4, garbd, mariadb-backup, socat, nft installed');
  if (!existsSync(join(repoRoot, 'node_modules'))) {
    log('… npm ci');
    execSync('npm ci', { cwd: repoRoot, stdio: 'inherit' });
  }
  return true;
}
