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
