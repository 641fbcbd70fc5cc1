import 'server-only';
import { getConfig } from '@/lib/config/load';
import { type UserRules, userRules } from './rules';

let cached: UserRules | undefined;

/** The validation rules for this console's configuration (domains, password length). */
export function configuredRules(): UserRules {
  if (cached) return cached;
  const cfg = getConfig();
  cached = userRules({ domains: cfg.domains, passwordMinLength: cfg.users.passwordMinLength });
  return cached;
}
