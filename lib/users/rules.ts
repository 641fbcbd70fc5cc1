import { z } from 'zod';

// One set of validation rules for the add form, the CSV import and the REST API. Pure: the
// configured domains and the minimum password length come in as arguments, so client forms,
// the import and the OpenAPI document build the same schemas.

/** RFC 3261 user part: unreserved / escaped / user-unreserved characters. */
export const USER_PART = /^(?:[A-Za-z0-9\-_.!~*'()&=+$,;?/]|%[0-9A-Fa-f]{2})+$/;

const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const HOST_NAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*\\.?$`);
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const IPV6_REF = /^\[[0-9A-Fa-f:.]{2,45}\]$/;

/** Control bytes (NUL, CR, LF, DEL ...) have no place in a SIP password and break CSV lines. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control bytes is the point here.
const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;

export interface RulesOptions {
  domains: readonly string[];
  passwordMinLength: number;
}

export const isHost = (d: string) => HOST_NAME.test(d) || IPV4.test(d) || IPV6_REF.test(d);

export function userRules(opts: RulesOptions) {
  const known = new Set(opts.domains.map((d) => d.toLowerCase()));
  const username = z
    .string({ error: 'Enter a user name' })
    .min(1, 'Enter a user name')
    .max(64, 'At most 64 characters')
    .regex(USER_PART, "Only letters, digits, - _ . ! ~ * ' ( ) & = + $ , ; ? / and %XX escapes");
  const domain = z
    .string({ error: 'Choose a domain' })
    .min(1, 'Choose a domain')
    .max(64, 'At most 64 characters')
    .refine(isHost, 'Not a host name or IP address')
    .refine((d) => known.has(d.toLowerCase()), 'Not one of the configured domains')
    // Domains are case-insensitive (RFC 3261) and Kamailio's realm is the stored spelling:
    // one spelling, lower case, from here on, so HA1 is never hashed over LAB.SIPHA.TEST.
    .transform((d) => d.toLowerCase());
  const password = z
    .string({ error: 'Enter a password' })
    .min(opts.passwordMinLength, `At least ${opts.passwordMinLength} characters`)
    .max(64, 'At most 64 characters')
    .regex(NO_CONTROL, 'No control characters');
  return {
    username,
    domain,
    password,
    /** The add form: a password, or the "generate" box ticked. */
    addForm: z
      .object({ username, domain, password: z.string().optional(), generate: z.string().optional() })
      .superRefine((v, ctx) => {
        if (v.generate) return;
        const r = password.safeParse(v.password ?? '');
        for (const issue of r.error?.issues ?? [])
          ctx.addIssue({ code: 'custom', path: ['password'], message: issue.message });
      })
      .transform((v) => ({
        username: v.username,
        domain: v.domain,
        password: v.generate ? undefined : v.password,
      })),
    passwordForm: z.object({ username, domain, password }),
    keyForm: z.object({ username, domain }),
    /** POST /api/v1/users: password omitted means "generate one and return it once". */
    apiCreate: z.strictObject({ username, domain: domain.optional(), password: password.optional() }),
    apiPatch: z.strictObject({ password }),
  };
}

export type UserRules = ReturnType<typeof userRules>;

// Kamailio's tables are latin1: search text outside it can match nothing, and MariaDB refuses
// the comparison ("Illegal mix of collations"). Refused with a field error before any query.
const LATIN1 = /^[\u0020-\u007e\u00a0-\u00ff]*$/;
export const searchText = (max = 64) =>
  z
    .string()
    .max(max, `At most ${max} characters`)
    .regex(LATIN1, 'Only Latin-1 letters, digits and signs (no emoji, no direction marks)')
    .optional();

/** A page size: a whole number, so it can never reach SQL as `LIMIT 2.5`. */
export const pageLimit = z.coerce
  .number({ error: 'A whole number' })
  .int('A whole number')
  .min(1, 'At least 1')
  .max(500, 'At most 500')
  .optional();

/** The users list, API and export: ?prefix=&domain=&after=&before=&limit=. */
export const userSearch = z.object({
  prefix: searchText(),
  domain: searchText(),
  after: z.string().max(2000).optional(),
  before: z.string().max(2000).optional(),
  limit: pageLimit,
});
