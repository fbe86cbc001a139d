import type { SessionState } from '@duban/org';

export type SessionVerdict = 'ok' | 'unknown-user' | 'disabled' | 'ended';

/**
 * Whether a verified token still stands. The user's row is the truth: a token whose `ver` is not
 * the row's token_version was signed before a password, role or department change, or before the
 * user was disabled. Tokens signed before versions existed carry none and count as version 0.
 */
export function sessionVerdict(tokenVersion: unknown, state: Pick<SessionState, 'tokenVersion' | 'disabled'> | null): SessionVerdict {
  if (!state) return 'unknown-user';
  if (state.disabled) return 'disabled';
  const version = tokenVersion === undefined ? 0 : tokenVersion;
  return version === state.tokenVersion ? 'ok' : 'ended';
}

/** Broadcast topic on which the api announces that a user's sessions may have ended (a user id; open streams re-check). */
export const SESSIONS_TOPIC = 'sessions';
