import { DomainError } from '@duban/http';

/**
 * A report asked for a department the caller may not read. Departments are no secret (every user
 * lists them), so this is a 403 naming the department rather than the 404 of a task not one's own.
 */
export class DepartmentOutOfReachError extends DomainError {
  readonly status = 403;
  readonly slug = 'department-out-of-reach';
  readonly title = 'Department outside your reach';
  constructor(departmentId: string) {
    super(`该部门不在您的督办或所属范围内：${departmentId}. Supervisors read the departments they supervise, leads their own.`);
    this.extensions.departmentId = departmentId;
  }
}
