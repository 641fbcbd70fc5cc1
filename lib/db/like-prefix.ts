/** LIKE 'prefix%' for a prefix typed by an operator: its own %, _ and backslash are literal. */
export function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
