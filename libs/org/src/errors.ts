import { DomainError } from '@duban/http';

export class NotFoundError extends DomainError.of(404, 'not-found', 'Not Found') {}

export class ConflictError extends DomainError.of(409, 'conflict', 'Conflict') {}

/** A disabled user's login (with the right password) and every request with its old tokens. */
export class AccountDisabledError extends DomainError.of(401, 'account-disabled', 'Account disabled') {
  constructor() {
    super('该用户已停用，请联系管理员。The account is disabled.');
  }
}

/** A token signed before the user's password, roles or department changed. */
export class SessionEndedError extends DomainError.of(401, 'session-ended', 'Session ended') {
  constructor() {
    super('登录已失效（密码、角色或部门已变更），请重新登录。The session has ended; log in again.');
  }
}

/** A department moved under itself or one of its own sub-departments. */
export class DepartmentCycleError extends DomainError.of(400, 'department-cycle', 'Department cycle') {
  constructor() {
    super('不能把单位移到它自己或它的下级单位之下。A department cannot sit under itself or one of its own sub-departments.');
    this.extensions.errors = [{ path: 'parentId', message: this.message }];
  }
}

/** A lead or handler works a department's tasks, so it must belong to one. */
export class DepartmentRequiredError extends DomainError.of(400, 'department-required', 'Department required') {
  constructor() {
    super('部门负责人和承办人必须属于一个单位，请选择所属单位。A lead or handler must belong to a department.');
    this.extensions.errors = [{ path: 'departmentId', message: this.message }];
  }
}
