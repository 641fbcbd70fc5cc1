import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Kamailio's own schema as Debian's kamailio package ships it, unchanged: the one source for
// the lab (lab/schema.ts) and the console's Galera bootstrap (lib/galera/bootstrap.ts).

export const KAMAILIO_SQL_DIR = '/usr/share/kamailio/mysql';
/** standard: `version`; auth_db: `subscriber`; usrloc: `location` (and location_attrs). */
export const SCHEMA_FILES = ['standard-create.sql', 'auth_db-create.sql', 'usrloc-create.sql'];

export function kamailioSchemaSql(): string {
  return SCHEMA_FILES.map((f) => readFileSync(join(KAMAILIO_SQL_DIR, f), 'utf8')).join('\n');
}

/** Each file's statements one by one (they end a line with `;`), with the tables it creates. */
export function kamailioSchemaFiles(): { file: string; tables: string[]; statements: string[] }[] {
  return SCHEMA_FILES.map((file) => {
    const statements = readFileSync(join(KAMAILIO_SQL_DIR, file), 'utf8')
      .split(/;\s*\n/)
      .map((s) => s.trim().replace(/;$/, ''))
      .filter(Boolean);
    const tables = statements.flatMap((s) => /^CREATE TABLE `?(\w+)`?/i.exec(s)?.[1] ?? []);
    return { file, tables, statements };
  });
}
