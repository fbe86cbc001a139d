import { DomainError } from '@duban/http';

/**
 * A report asked for a department the caller may not read. Departments are no secret (every user
 * lists them), so this is a 403 naming the department rather than the 404 of a task not one's own.
 */
export class DepartmentOutOfReachError extends DomainError.of(403, 'department-out-of-reach', 'Department outside your reach') {
  constructor(departmentId: string) {
    super(`该部门不在您的督办或所属范围内：${departmentId}. Supervisors read the departments they supervise, leads their own.`);
    this.extensions.departmentId = departmentId;
  }
}

/** GET /reports/bulletins/:id of a bulletin never stored. Stored bulletins are listed to every reader of reports. */
export class BulletinNotFoundError extends DomainError.of(404, 'bulletin-not-found', 'Bulletin not found') {
  constructor(id: string) {
    super(`没有这份已发布的通报：${id}`);
    this.extensions.bulletinId = id;
  }
}
