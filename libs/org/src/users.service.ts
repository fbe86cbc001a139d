import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { PG_FOREIGN_KEY, PG_UNIQUE, pgCode, type Role, UserEntity } from '@duban/db';
import { InvalidInputError } from '@duban/http';
import { DataSource, type Repository } from 'typeorm';
import { ConflictError, NotFoundError } from './errors.js';
import { hashPassword, verifyPassword } from './passwords.js';

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  departmentId: string | null;
  roles: Role[];
  /** Absent when a non-admin reads another user. */
  email?: string | null;
}

/** Who reads the directory. */
export interface UserViewer {
  id: string;
  roles: Role[];
}

export interface UserInput {
  username?: string;
  displayName?: string;
  departmentId?: string | null;
  roles?: Role[];
  email?: string | null;
  password?: string;
}

export function toUserView(user: UserEntity): UserView {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    departmentId: user.departmentId,
    roles: user.roles,
    email: user.email,
  };
}

/**
 * A user as `viewer` may see it: admins and the user itself everything; anyone else a colleague's
 * name, department and roles, without the e-mail address (the field is absent, not null).
 */
export function userViewFor(viewer: UserViewer | null, user: UserView): UserView {
  if (viewer === null || viewer.roles.includes('admin') || viewer.id === user.id) return user;
  const { email: _email, ...colleague } = user;
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

  async update(id: string, input: UserInput): Promise<UserView> {
    await this.get(id);
    const fields: [string, unknown][] = [
      ['username', input.username],
      ['display_name', input.displayName],
      ['department_id', input.departmentId],
      ['roles', input.roles],
      ['email', input.email],
      ['password_hash', input.password === undefined ? undefined : await hashPassword(input.password)],
    ];
    const set = fields.filter(([, v]) => v !== undefined);
    if (set.length > 0) {
      await this.write(() =>
        this.db.query(`UPDATE users SET ${set.map(([c], i) => `${c} = $${i + 2}`).join(', ')}, updated_at = now() WHERE id = $1`, [
          id,
          ...set.map(([, v]) => v),
        ]),
      );
    }
    return this.get(id);
  }

  private async write<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (pgCode(err) === PG_UNIQUE) throw new ConflictError('A user with this username already exists.');
      if (pgCode(err) === PG_FOREIGN_KEY) throw new InvalidInputError('departmentId', 'no such department');
      throw err;
    }
  }
}
