import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { clearToken, getToken, setToken } from '../api/session';
import type { Role } from '../api/types';

/** The signed-in user (GET /me); disabled without a token. */
export function useMe() {
  return useQuery({
    queryKey: ['me'],
    queryFn: () => unwrap(api.GET('/api/v1/me')),
    enabled: getToken() !== null,
    staleTime: 5 * 60_000,
  });
}

/** POST /auth/login: keeps the token for this tab and primes the user. */
export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { username: string; password: string }) => unwrap(api.POST('/api/v1/auth/login', { body })),
    onSuccess: ({ accessToken, user }) => {
      queryClient.clear();
      setToken(accessToken);
      queryClient.setQueryData(['me'], user);
    },
  });
}

/** Forgets the token and everything read with it. */
export function useSignOut() {
  const queryClient = useQueryClient();
  return () => {
    clearToken();
    queryClient.clear();
  };
}

/** The page a user starts on (UI.md `/`): leads and handlers their work, supervisors 督办台, admins 系统管理. */
export function homeOf(roles: readonly Role[]): string {
  if (roles.includes('lead') || roles.includes('handler')) return '/work';
  if (roles.includes('supervisor')) return '/supervision';
  if (roles.includes('admin')) return '/admin';
  return '/tasks';
}
