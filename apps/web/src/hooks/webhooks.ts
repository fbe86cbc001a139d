import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';

/** Every webhook subscription (GET /webhooks, admin). */
export function useWebhooks() {
  return useQuery({
    queryKey: ['webhooks'],
    queryFn: () => unwrap(api.GET('/api/v1/webhooks', { params: { query: { limit: 1000 } } })),
  });
}

/** POST /webhooks (admin). */
export function useCreateWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: components['schemas']['CreateWebhookDto']) => unwrap(api.POST('/api/v1/webhooks', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['webhooks'] }),
  });
}

/** DELETE /webhooks/:id: unsubscribes, its deliveries go with it. */
export function useDeleteWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/webhooks/{id}', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['webhooks'] }),
  });
}

/** POST /webhooks/:id/test: one delivery of `webhook.test`, then listed with the others. */
export function useSendTestDelivery() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/api/v1/webhooks/{id}/test', { params: { path: { id } } })),
    onSuccess: (_, id) => queryClient.invalidateQueries({ queryKey: ['webhooks', id, 'deliveries'] }),
  });
}

/**
 * A page of a webhook's deliveries, newest first; read again every 2 s while one is still under
 * way (not delivered and not given up), so its status and attempts move on screen.
 */
export function useDeliveries(id: string | undefined, page: number, limit: number) {
  return useQuery({
    queryKey: ['webhooks', id, 'deliveries', { page, limit }],
    queryFn: () => unwrap(api.GET('/api/v1/webhooks/{id}/deliveries', { params: { path: { id: id! }, query: { page, limit } } })),
    enabled: id !== undefined,
    refetchInterval: (query) => (query.state.data?.items.some((d) => d.deliveredAt === null && (d.attempts === 0 || d.nextAttemptAt !== null)) ? 2000 : false),
  });
}
