import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import { clearToken, getToken, loginPathFor } from './session';
import { ApiError, type Problem } from './problem';

/**
 * The typed client of the api (paths and bodies from the OpenAPI document, schema.d.ts). The
 * document's paths carry the global prefix (`/api/v1/...`), so the base is the page's origin.
 */
export const api = createClient<paths>({ baseUrl: window.location.origin });

let onSignedOut: (loginPath: string) => void = (path) => window.location.assign(path);

/** What to do when the api says the token is no longer good (the router navigates to /login). */
export function setSignedOutHandler(handler: (loginPath: string) => void): void {
  onSignedOut = handler;
}

/** The token is no longer good: forget it and go to /login (and back here afterwards). */
export function signedOut(): void {
  clearToken();
  onSignedOut(loginPathFor(window.location));
}

const auth: Middleware = {
  onRequest({ request }) {
    const token = getToken();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ request, response }) {
    // A 401 to anything but the login itself: the token expired or the session was ended.
    if (response.status === 401 && !new URL(request.url).pathname.endsWith('/auth/login')) signedOut();
    return response;
  },
};
api.use(auth);

/** The body of an answer, typed by the operation's success response, or an ApiError with the problem. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw new ApiError(response.status, (error ?? null) as Problem | null);
  return data as T;
}
