/**
 * The browser's one way to read a console endpoint: no caching, a 401 (session ended) goes to the
 * login page, and any other failure throws the server's own message.
 */
export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, { signal, cache: 'no-store' });
  if (res.status === 401) {
    window.location.assign('/login');
    throw new Error('signed out');
  }
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error(body?.error?.message ?? `status ${res.status}`);
  return body as T;
}
