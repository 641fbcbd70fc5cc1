import { describe, expect, it } from 'vitest';
import { dialectFor } from './index.ts';
import {
  maskSecrets,
  quoteIdent,
  quoteString,
  validateAccountHost,
  validateHost,
  validateUser,
} from './quote.ts';
import { detectFlavor } from './version.ts';

describe('quoteIdent', () => {
  it('backquotes names and doubles backquotes inside them', () => {
    expect(quoteIdent('subscriber')).toBe('`subscriber`');
    expect(quoteIdent('a`b')).toBe('`a``b`');
  });
});

describe('quoteString', () => {
  it('escapes per MySQL rules and doubles quotes', () => {
    expect(quoteString("it's")).toBe("'it''s'");
    expect(quoteString('a\\b')).toBe("'a\\\\b'");
    expect(quoteString('\0\n\r\x1a')).toBe("'\\0\\n\\r\\Z'");
    expect(quoteString('"`;')).toBe("'\"`;'");
  });
  it('never lets a hostile value close the literal', () => {
    for (const evil of ["'; DROP TABLE t; --", "\\'; SELECT 1; --", "\\\\''", "x'\n' OR 1=1"]) {
      const q = quoteString(evil);
      // Inside the literal every quote is doubled, so the only lone quotes are the delimiters.
      expect(q.slice(1, -1).replace(/''/g, '')).not.toContain("'");
    }
  });
});

describe('validation', () => {
  it('accepts ordinary hosts and users', () => {
    expect(validateHost('d1.example.net')).toBe('d1.example.net');
    expect(validateHost('10.0.0.2')).toBe('10.0.0.2');
    expect(validateHost('[fd00::2]')).toBe('fd00::2');
    expect(validateAccountHost('10.0.0.%')).toBe('10.0.0.%');
    expect(validateAccountHost('10.0.0.0/255.255.255.0')).toBe('10.0.0.0/255.255.255.0');
    expect(validateUser('repl_d2')).toBe('repl_d2');
  });
  it('rejects hostile hosts and users', () => {
    for (const h of ["d1' OR 1=1", 'd1;drop', 'd1 d2', '', 'a\nb', 'x'.repeat(300), "h\\'"]) {
      expect(() => validateHost(h)).toThrow();
    }
    for (const u of ["repl'", 'repl@x', '', 'r'.repeat(33), 'a b', 'a\0']) {
      expect(() => validateUser(u)).toThrow();
    }
    expect(() => validateAccountHost("%' IDENTIFIED BY 'x")).toThrow();
  });
  it('change source refuses hostile input and a bad port', () => {
    const d = dialectFor('10.11.19-MariaDB');
    expect(() =>
      d.changeSource({ host: "h',MASTER_HOST='evil", port: 3306, user: 'r', password: '' }),
    ).toThrow();
    expect(() => d.changeSource({ host: 'h', port: 70000, user: 'r', password: '' })).toThrow();
    expect(() => d.changeSource({ host: 'h', port: 3306, user: "r'--", password: '' })).toThrow();
  });
});

describe('masking', () => {
  it('display never contains the password, sql does', () => {
    const password = "s3cr'et\\";
    for (const v of ['10.11.19-MariaDB', '8.0.36', '8.4.0', '8.0.21']) {
      const s = dialectFor(v).changeSource({ host: 'd1', port: 3306, user: 'repl', password });
      expect(s.sql).toContain(quoteString(password));
      expect(s.display).not.toContain('s3cr');
      expect(s.display).toContain("'********'");
      for (const u of dialectFor(v).createReplicationUser({ user: 'repl', host: '%', password })) {
        expect(u.display).not.toContain('s3cr');
      }
    }
  });
  it('maskSecrets replaces every quoted occurrence', () => {
    expect(maskSecrets("A 'pw' B 'pw'", ['pw', ''])).toBe("A '********' B '********'");
  });
});

describe('detectFlavor', () => {
  it.each([
    ['10.11.19-MariaDB-0+deb12u1-log', null, { flavor: 'mariadb', major: 10, minor: 11, patch: 19 }],
    ['11.4.2-MariaDB', undefined, { flavor: 'mariadb', major: 11, minor: 4, patch: 2 }],
    ['5.5.5-10.6.18-MariaDB-log', null, { flavor: 'mariadb', major: 10, minor: 6, patch: 18 }],
    ['10.6.18', 'mariadb.org binary distribution', { flavor: 'mariadb', major: 10, minor: 6, patch: 18 }],
    ['8.0.36', 'MySQL Community Server - GPL', { flavor: 'mysql', major: 8, minor: 0, patch: 36 }],
    ['8.4.0', null, { flavor: 'mysql', major: 8, minor: 4, patch: 0 }],
    ['8.0.36-28', 'Percona Server (GPL)', { flavor: 'mysql', major: 8, minor: 0, patch: 36 }],
  ])('%s', (version, comment, expected) => {
    expect(detectFlavor(version, comment)).toEqual(expected);
  });
  it('rejects garbage', () => {
    expect(() => detectFlavor('banana')).toThrow();
  });
});
