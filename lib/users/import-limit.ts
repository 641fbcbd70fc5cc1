// The largest CSV body the console reads whole (next.config.ts gives it to Next as
// `proxyClientMaxBodySize`). Because the console has a proxy, Next buffers a request body only
// up to that size and passes the rest of the request on with the body cut short, so the import
// route refuses a larger upload before reading it, and treats a body that reached the limit
// without a Content-Length as cut (lib/users/import.ts).
export const IMPORT_MAX_BYTES = 64 * 1024 * 1024;

export function importLimitWords(): string {
  return `${IMPORT_MAX_BYTES / (1024 * 1024)} MB`;
}

/** Why a file of `bytes` is refused: said by the route, and by the page before it uploads. */
export function tooLargeWords(bytes: number): string {
  return `The file is ${(bytes / (1024 * 1024)).toFixed(1)} MB; an import takes at most ${importLimitWords()}. Split it and import the parts: nothing was imported.`;
}
