import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api, unwrap } from '../api/client';
import { getToken, sessionRenewed } from '../api/session';

/** A page of the inbox, newest first; `unread` keeps the unread ones only. */
export function useNotifications(query: { unread?: boolean; page: number; limit: number }) {
  return useQuery({
    queryKey: ['notifications', 'list', query],
    queryFn: () => unwrap(api.GET('/api/v1/me/notifications', { params: { query: query } })),
  });
}

/** How many notices are unread (the header's badge). */
export function useUnreadCount() {
  return useQuery({
    queryKey: ['notifications', 'unread'],
    queryFn: async () => (await unwrap(api.GET('/api/v1/me/notifications', { params: { query: { unread: true, limit: 1 } } }))).total,
  });
}

export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/api/v1/me/notifications/{id}/read', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['notifications'] }),
  });
}

/** POST /me/notifications/read-all: every unread notice of the user marked read at once. */
export async function markAllRead(): Promise<void> {
  await unwrap(api.POST('/api/v1/me/notifications/read-all'));
}

export function useMarkAllRead() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: markAllRead, onSuccess: () => queryClient.invalidateQueries({ queryKey: ['notifications'] }) });
}

const RETRY_MS = 5000;

/**
 * Listens to GET /me/notifications/stream while signed in: each new notice re-reads the inbox
 * queries (badge, list) and the tasks (a notice follows something that changed a task). The
 * stream ends when the session does: then /me is read again, whose 401 leads to the login page.
 */
export function useNotificationStream(): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const open = () => {
      const token = getToken();
      if (!token) return;
      source = new EventSource(`/api/v1/me/notifications/stream?access_token=${encodeURIComponent(token)}`);
      // Notices made while the stream was down are read on (re)connection.
      source.onopen = () => void queryClient.invalidateQueries({ queryKey: ['notifications'] });
      source.addEventListener('notification', () => {
        void queryClient.invalidateQueries({ queryKey: ['notifications'] });
        void queryClient.invalidateQueries({ queryKey: ['tasks'] });
      });
      const ended = () => {
        source?.close();
        // After the user's own password change, with the fresh token it answers.
        void sessionRenewed().then(() => {
          void queryClient.invalidateQueries({ queryKey: ['me'] });
          retry = setTimeout(open, RETRY_MS);
        });
      };
      source.addEventListener('session-ended', ended);
      source.onerror = () => {
        if (source?.readyState === EventSource.CLOSED) ended();
      };
    };
    open();
    return () => {
      clearTimeout(retry);
      source?.close();
    };
  }, [queryClient]);
}
