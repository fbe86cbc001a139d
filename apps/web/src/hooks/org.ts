import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';

/** Every department the api lists (GET /departments), for filters and names. */
export function useDepartments() {
  return useQuery({
    queryKey: ['departments'],
    queryFn: () => unwrap(api.GET('/api/v1/departments', { params: { query: { limit: 1000 } } })),
    staleTime: 10 * 60_000,
  });
}

/** The users of one department (GET /users?departmentId=), e.g. to choose an assignee by name. */
export function useDepartmentUsers(departmentId: string | undefined) {
  return useQuery({
    queryKey: ['users', { departmentId }],
    queryFn: () => unwrap(api.GET('/api/v1/users', { params: { query: { departmentId, limit: 1000 } } })),
    enabled: departmentId !== undefined,
    staleTime: 5 * 60_000,
  });
}
