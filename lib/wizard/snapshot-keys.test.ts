import { describe, expect, it } from 'vitest';
import { deferKeys } from './snapshot-keys';

// Kamailio 5.6's location table as SHOW CREATE TABLE prints it (abridged columns).
const LOCATION = `CREATE TABLE \`location\` (
  \`id\` int(10) unsigned NOT NULL AUTO_INCREMENT,
  \`ruid\` varchar(64) NOT NULL DEFAULT '',
  \`username\` varchar(64) NOT NULL DEFAULT '',
  \`expires\` datetime NOT NULL DEFAULT '2030-05-28 21:32:15',
  PRIMARY KEY (\`id\`),
  UNIQUE KEY \`ruid_idx\` (\`ruid\`),
  KEY \`account_contact_idx\` (\`username\`),
  KEY \`expires_idx\` (\`expires\`)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci`;

describe('deferKeys', () => {
  it('keeps the primary key in CREATE TABLE and returns the secondary keys to add later', () => {
    const { create, keys } = deferKeys(LOCATION);
    expect(keys).toEqual([
      'UNIQUE KEY `ruid_idx` (`ruid`)',
      'KEY `account_contact_idx` (`username`)',
      'KEY `expires_idx` (`expires`)',
    ]);
    expect(create).toContain('  PRIMARY KEY (`id`)\n) ENGINE=InnoDB');
    expect(create).not.toContain('KEY `ruid_idx`');
  });

  it('leaves tables without a primary key or with foreign keys alone', () => {
    const noPk =
      'CREATE TABLE `version` (\n  `table_name` varchar(32) NOT NULL,\n  UNIQUE KEY `t_idx` (`table_name`)\n) ENGINE=InnoDB';
    expect(deferKeys(noPk)).toEqual({ create: noPk, keys: [] });
    const fk =
      'CREATE TABLE `a` (\n  `id` int NOT NULL,\n  `b` int,\n  PRIMARY KEY (`id`),\n  KEY `b` (`b`),\n  CONSTRAINT `f` FOREIGN KEY (`b`) REFERENCES `b` (`id`)\n) ENGINE=InnoDB';
    expect(deferKeys(fk).keys).toEqual([]);
  });
});
