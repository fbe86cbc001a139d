/**
 * The signed-in session of this browser tab: the bearer token in sessionStorage (closing the tab
 * signs out; another tab signs in on its own), read by the API client and the notice stream.
 */
const TOKEN_KEY = 'duban.token';

export function getToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function clearToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** `/login?next=<path>` for the page the user is on, so signing in again returns there. */
export function loginPathFor(location: Pick<Location, 'pathname' | 'search'>): string {
  const here = location.pathname + location.search;
  return here.startsWith('/login') || here === '/' ? '/login' : `/login?next=${encodeURIComponent(here)}`;
}

/** The `next` parameter of the login page when it is a path of this console, else `/`. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

let renewal: Promise<unknown> = Promise.resolve();

/**
 * A call that ends this user's other sessions and answers a fresh token for this one (POST
 * /me/password): the notice stream, ended by it, waits for the new token before checking the
 * session, or its check with the old token would sign the user out.
 */
export function renewingSession<T>(call: Promise<T>): Promise<T> {
  renewal = call.catch(() => undefined);
  return call;
}

/** Settles once the latest session renewal has (the fresh token is kept by then). */
export function sessionRenewed(): Promise<unknown> {
  return renewal;
}
