import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { renewingSession, setToken } from '../api/session';
import type { Role } from '../api/types';

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

type DepartmentBody = components['schemas']['CreateDepartmentDto'];
type DepartmentChange = components['schemas']['UpdateDepartmentDto'];
type UserBody = components['schemas']['CreateUserDto'];
type UserChange = components['schemas']['UpdateUserDto'];

/** POST /departments (admin); the tree and every name list read it again. */
export function useCreateDepartment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: DepartmentBody) => unwrap(api.POST('/api/v1/departments', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['departments'] }),
  });
}

/** PATCH /departments/:id (admin): edit or move; the api refuses a cycle. */
export function useUpdateDepartment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: DepartmentChange }) => unwrap(api.PATCH('/api/v1/departments/{id}', { params: { path: { id } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['departments'] }),
  });
}

/** A page of GET /users, filtered by department and role (admins also see `disabled`). */
export function useUsers(query: { departmentId?: string; role?: Role; page: number; limit: number }) {
  return useQuery({
    queryKey: ['users', 'list', query],
    queryFn: () => unwrap(api.GET('/api/v1/users', { params: { query } })),
  });
}

/** POST /users (admin). */
export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UserBody) => unwrap(api.POST('/api/v1/users', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
}

/** PATCH /users/:id (admin): roles, department, a new password, disabled or enabled again. */
export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UserChange }) => unwrap(api.PATCH('/api/v1/users/{id}', { params: { path: { id } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
}

/** POST /me/password: the caller's other sessions end; this one goes on with the fresh token it answers. */
export function useChangeMyPassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) =>
      renewingSession(
        unwrap(api.POST('/api/v1/me/password', { body })).then((result) => {
          setToken(result.accessToken);
          return result;
        }),
      ),
    onSuccess: ({ user }) => queryClient.setQueryData(['me'], user),
  });
}
