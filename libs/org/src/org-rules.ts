import type { Role } from '@duban/db';

/** Roles that work a department's tasks: a user holding one must belong to a department. */
const DEPARTMENT_ROLES: readonly Role[] = ['lead', 'handler'];

/** Whether a user with these roles and this department lacks the department its roles need. */
export function lacksDepartment(roles: readonly Role[], departmentId: string | null | undefined): boolean {
  return !departmentId && roles.some((r) => DEPARTMENT_ROLES.includes(r));
}
