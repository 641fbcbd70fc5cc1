export type Role = 'admin' | 'operator' | 'viewer';

const rank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** admin can do all an operator can; an operator all a viewer can. */
export function hasRole(actual: Role, needed: Role): boolean {
  return rank[actual] >= rank[needed];
}

export function isRole(v: unknown): v is Role {
  return v === 'admin' || v === 'operator' || v === 'viewer';
}
