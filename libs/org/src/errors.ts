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
