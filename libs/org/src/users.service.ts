import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { PG_FOREIGN_KEY, PG_UNIQUE, pgCode, type Role, UserEntity } from '@duban/db';
import { InvalidInputError } from '@duban/http';
import { DataSource, type Repository } from 'typeorm';
import { ConflictError, DepartmentRequiredError, NotFoundError, SessionEndedError } from './errors.js';
import { lacksDepartment } from './org-rules.js';
import { hashPassword, verifyPassword } from './passwords.js';

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  departmentId: string | null;
  roles: Role[];
  /** Absent when a non-admin reads another user. */
  email?: string | null;
  /** Shown to admins only. */
  disabled?: boolean;
}

/** Who reads the directory. */
export interface UserViewer {
  id: string;
  roles: Role[];
}

/** What the auth guard reads on every request: who the token's holder is now. */
export interface SessionState {
  id: string;
  username: string;
  departmentId: string | null;
  roles: Role[];
  tokenVersion: number;
  disabled: boolean;
}

export interface UserInput {
  username?: string;
  displayName?: string;
  departmentId?: string | null;
  roles?: Role[];
  email?: string | null;
  password?: string;
  disabled?: boolean;
}

export function toUserView(user: UserEntity): UserView {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    departmentId: user.departmentId,
    roles: user.roles,
    email: user.email,
    disabled: user.disabled,
  };
}

/**
 * A user as `viewer` may see it: admins everything, the user itself all but `disabled`; anyone else a colleague's
 * name, department and roles, without the e-mail address (the field is absent, not null).
 */
export function userViewFor(viewer: UserViewer | null, user: UserView): UserView {
  if (viewer === null || viewer.roles.includes('admin')) return user;
  const { disabled: _disabled, ...own } = user;
  if (viewer.id === user.id) return own;
  const { email: _email, ...colleague } = own;
  return colleague;
}

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ id });
  }

  /** One primary-key read, no entity mapping: the auth guard runs it on every request. */
  async sessionState(id: string): Promise<SessionState | null> {
    const rows = await this.db.query<SessionState[]>(
      `SELECT id, username, department_id AS "departmentId", roles, token_version AS "tokenVersion", disabled FROM users WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /**
   * The caller's own password change; the current password is required. Every other token of
   * the user ends (the version moves on). Only a session of the current version may do it, checked
   * in the UPDATE itself, so a session ended meanwhile cannot; the caller gets the version its
   * password change produced to sign a fresh token (a change right after ends that one too).
   */
  async changePassword(id: string, sessionVersion: number, currentPassword: string, newPassword: string): Promise<UserEntity> {
    const user = await this.findById(id);
    if (!user || user.disabled || user.tokenVersion !== sessionVersion) throw new SessionEndedError();
    if (!(await verifyPassword(user.passwordHash, currentPassword))) {
      throw new InvalidInputError('currentPassword', '当前密码不正确 (the current password is wrong)');
    }
    const [changed] = await this.db.query<{ version: number }[]>(
      `WITH changed AS (
         UPDATE users SET password_hash = $2, token_version = token_version + 1, updated_at = now()
          WHERE id = $1 AND token_version = $3 AND NOT disabled RETURNING token_version
       ) SELECT token_version AS version FROM changed`,
      [id, await hashPassword(newPassword), sessionVersion],
    );
    const updated = changed ? await this.findById(id) : null;
    if (!changed || !updated) throw new SessionEndedError();
    return Object.assign(updated, { tokenVersion: changed.version });
  }

  /** The user whose name and password match, or null; takes as long for an unknown name. */
  async authenticate(username: string, password: string): Promise<UserEntity | null> {
    const user = await this.users.createQueryBuilder('u').where('lower(u.username) = lower(:username)', { username }).getOne();
    const ok = await verifyPassword(user?.passwordHash ?? null, password);
    return ok ? user : null;
  }

  /** The directory as `viewer` may see it (userViewFor); null for the full view. */
  async list(
    filter: { departmentId?: string; role?: Role },
    page: number,
    limit: number,
    viewer: UserViewer | null = null,
  ): Promise<{ items: UserView[]; total: number }> {
    const query = this.users
      .createQueryBuilder('u')
      .orderBy('lower(u.username)', 'ASC')
      .skip((page - 1) * limit)
      .take(limit);
    if (filter.departmentId) query.andWhere('u.departmentId = :departmentId', { departmentId: filter.departmentId });
    if (filter.role) query.andWhere(':role = ANY(u.roles)', { role: filter.role });
    const [rows, total] = await query.getManyAndCount();
    return { items: rows.map((r) => userViewFor(viewer, toUserView(r))), total };
  }

  async get(id: string, viewer: UserViewer | null = null): Promise<UserView> {
    const user = await this.findById(id);
    if (!user) throw new NotFoundError(`There is no user ${id}.`);
    return userViewFor(viewer, toUserView(user));
  }

  async create(input: Required<Pick<UserInput, 'username' | 'displayName' | 'password'>> & UserInput): Promise<UserView> {
    if (lacksDepartment(input.roles ?? [], input.departmentId)) throw new DepartmentRequiredError();
    const passwordHash = await hashPassword(input.password);
    const id = await this.write(async () => {
      const [row] = await this.db.query<{ id: string }[]>(
        `INSERT INTO users (username, display_name, department_id, roles, email, password_hash) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [input.username, input.displayName, input.departmentId ?? null, input.roles ?? [], input.email ?? null, passwordHash],
      );
      return row.id;
    });
    return this.get(id);
  }

  /**
   * An admin's change. Setting a password, changing roles or department, or changing `disabled`
   * ends the user's tokens (token_version moves on in the same statement, so no request between
   * the two can see the new rights with an old token).
   */
  /**
   * An admin's change to a user. `actorId` is the admin making it: disabling its own account is
   * refused (400 on `disabled`), as it might leave nobody to enable it again.
   */
  async update(id: string, input: UserInput, actorId?: string): Promise<UserView> {
    if (input.disabled === true && id === actorId) throw new InvalidInputError('disabled', '不能停用自己的账号 (you cannot disable yourself)');
    const current = await this.get(id);
    // Only a change of roles or department is held to the rule: an older lead or handler without a
    // department can still be disabled or given a new password.
    const changesPlacement = input.roles !== undefined || input.departmentId !== undefined;
    if (changesPlacement && lacksDepartment(input.roles ?? current.roles, input.departmentId === undefined ? current.departmentId : input.departmentId)) {
      throw new DepartmentRequiredError();
    }
    const fields: [string, unknown, SessionRule][] = [
      ['username', input.username, 'keeps'],
      ['display_name', input.displayName, 'keeps'],
      ['department_id', input.departmentId, 'ends-if-changed'],
      ['roles', input.roles, 'ends-if-changed'],
      ['email', input.email, 'keeps'],
      ['password_hash', input.password === undefined ? undefined : await hashPassword(input.password), 'ends'],
      ['disabled', input.disabled, 'ends-if-changed'],
    ];
    const set = fields.filter(([, v]) => v !== undefined);
    if (set.length > 0) {
      const assignments = set.map(([c], i) => `${c} = $${i + 2}`);
      const ends = sessionEndingConditions(set.map(([c, , rule], i) => ({ column: c, param: `$${i + 2}`, rule })));
      if (ends.length > 0) assignments.push(`token_version = token_version + CASE WHEN ${ends.join(' OR ')} THEN 1 ELSE 0 END`);
      await this.write(() => this.db.query(`UPDATE users SET ${assignments.join(', ')}, updated_at = now() WHERE id = $1`, [id, ...set.map(([, v]) => v)]));
    }
    return this.get(id);
  }

  private async write<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (pgCode(err) === PG_UNIQUE) throw new ConflictError('用户名已被使用。A user with this username already exists.');
      if (pgCode(err) === PG_FOREIGN_KEY) throw new InvalidInputError('departmentId', '单位不存在 (no such department)');
      throw err;
    }
  }
}

type SessionRule = 'keeps' | 'ends' | 'ends-if-changed';

/**
 * SQL conditions under which an UPDATE of these columns ends the user's tokens: a new password
 * always does (an admin resetting it means "throw everybody out"), roles, department and
 * `disabled` only when the value really changes. In SET, a column names its value before the
 * update, so `col IS DISTINCT FROM $n` compares old and new.
 */
export function sessionEndingConditions(columns: { column: string; param: string; rule: SessionRule }[]): string[] {
  return columns.flatMap(({ column, param, rule }) => {
    if (rule === 'ends') return ['true'];
    if (rule === 'ends-if-changed') return [`${column} IS DISTINCT FROM ${param}`];
    return [];
  });
}
