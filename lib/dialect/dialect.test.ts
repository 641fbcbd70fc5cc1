import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GOLDEN_VERSIONS, renderGolden } from './golden.ts';
import { dialectFor } from './index.ts';

// The committed golden files are the reviewed truth. To change them on purpose:
//   UPDATE_GOLDEN=1 npx vitest run --project unit lib/dialect/dialect.test.ts
// then read the diff against the MariaDB / MySQL manuals before committing.

const dir = fileURLToPath(new URL('./__golden__/', import.meta.url));
const update = process.env.UPDATE_GOLDEN === '1';

describe('dialect golden SQL', () => {
  for (const [name, version] of Object.entries(GOLDEN_VERSIONS)) {
    it(`${name} (${version}) matches __golden__/${name}.sql`, () => {
      const file = `${dir}${name}.sql`;
      const actual = renderGolden(version);
      if (update || !existsSync(file)) {
        if (!update) throw new Error(`${file} missing: run with UPDATE_GOLDEN=1 and review it`);
        writeFileSync(file, actual);
      }
      expect(actual).toBe(readFileSync(file, 'utf8'));
    });
  }
});

describe('dialect version thresholds', () => {
  it('MySQL 8.0.22 has SHOW REPLICA STATUS but still CHANGE MASTER TO', () => {
    const d = dialectFor('8.0.22');
    expect(d.replicaStatus().sql).toBe('SHOW REPLICA STATUS');
    expect(d.changeSource({ host: 'h', port: 1, user: 'u', password: '' }).sql).toMatch(/^CHANGE MASTER TO /);
  });
  it('MySQL 8.0.23 switches to CHANGE REPLICATION SOURCE TO', () => {
    const sql = dialectFor('8.0.23').changeSource({ host: 'h', port: 1, user: 'u', password: '' }).sql;
    expect(sql).toMatch(/^CHANGE REPLICATION SOURCE TO .*GET_SOURCE_PUBLIC_KEY = 1$/);
  });
  it('MySQL 8.2+ uses SHOW BINARY LOG STATUS', () => {
    expect(dialectFor('8.1.0').binlogStatus().sql).toBe('SHOW MASTER STATUS');
    expect(dialectFor('8.2.0').binlogStatus().sql).toBe('SHOW BINARY LOG STATUS');
  });
  it('MariaDB before 10.11 lets SUPER bypass read_only, 10.11+ only READ_ONLY ADMIN', () => {
    expect(dialectFor('10.6.18-MariaDB').readOnlyBypassAccounts().sql).toContain("'SUPER'");
    expect(dialectFor('10.11.0-MariaDB').readOnlyBypassAccounts().sql).not.toContain("'SUPER'");
  });
  it('refuses servers that are too old', () => {
    expect(() => dialectFor('5.7.44')).toThrow(/too old/);
    expect(() => dialectFor('10.3.39-MariaDB')).toThrow(/too old/);
  });
  it('refuses odd variable names and node positions', () => {
    const d = dialectFor('8.4.0');
    expect(() => d.setGlobalPersistent({ name: 'x; DROP TABLE t', value: 1 })).toThrow();
    expect(() => d.myCnfLines({ serverId: 1, gtidDomainId: 0, nodeCount: 2, nodeIndex: 3 })).toThrow();
    expect(() => d.myCnfLines({ serverId: 0, gtidDomainId: 0, nodeCount: 2, nodeIndex: 1 })).toThrow();
  });
});
