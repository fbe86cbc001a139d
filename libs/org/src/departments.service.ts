import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DepartmentKind, PG_FOREIGN_KEY, PG_UNIQUE, pgCode } from '@duban/db';
import { InvalidInputError } from '@duban/http';
import { DataSource } from 'typeorm';
import { ConflictError, DepartmentCycleError, NotFoundError } from './errors.js';

export interface DepartmentView {
  id: string;
  code: string;
  name: string;
  kind: DepartmentKind;
  parentId: string | null;
  supervisorDepartmentId: string | null;
  /** The department that supervises this one: its own setting, else the nearest ancestor's. */
  effectiveSupervisorDepartmentId: string | null;
  aliases: string[];
}

export interface DepartmentInput {
  code?: string;
  name?: string;
  kind?: DepartmentKind;
  parentId?: string | null;
  supervisorDepartmentId?: string | null;
  aliases?: string[];
}

const SELECT = `
  SELECT d.id, d.code, d.name, d.kind, d.parent_id AS "parentId", d.supervisor_department_id AS "supervisorDepartmentId",
         s.supervisor_department_id AS "effectiveSupervisorDepartmentId", d.aliases
    FROM departments d LEFT JOIN department_supervision s ON s.department_id = d.id`;

@Injectable()
export class DepartmentsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(filter: { parentId?: string; kind?: DepartmentKind }, page: number, limit: number): Promise<{ items: DepartmentView[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.parentId) where.push(`d.parent_id = $${params.push(filter.parentId)}`);
    if (filter.kind) where.push(`d.kind = $${params.push(filter.kind)}`);
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }] = await this.db.query<{ total: number }[]>(`SELECT count(*)::int AS total FROM departments d ${clause}`, params);
    const items = await this.db.query<DepartmentView[]>(`${SELECT} ${clause} ORDER BY d.code LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [
      ...params,
      limit,
      (page - 1) * limit,
    ]);
    return { items, total };
  }

  async get(id: string): Promise<DepartmentView> {
    const [row] = await this.db.query<DepartmentView[]>(`${SELECT} WHERE d.id = $1`, [id]);
    if (!row) throw new NotFoundError(`There is no department ${id}.`);
    return row;
  }

  async create(input: Required<Pick<DepartmentInput, 'code' | 'name' | 'kind'>> & DepartmentInput): Promise<DepartmentView> {
    const id = await this.write(async () => {
      const [row] = await this.db.query<{ id: string }[]>(
        `INSERT INTO departments (code, name, kind, parent_id, supervisor_department_id, aliases) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [input.code, input.name, input.kind, input.parentId ?? null, input.supervisorDepartmentId ?? null, input.aliases ?? []],
      );
      return row.id;
    });
    return this.get(id);
  }

  async update(id: string, input: DepartmentInput): Promise<DepartmentView> {
    await this.get(id);
    if (input.parentId) await this.refuseCycle(id, input.parentId);
    const fields: [string, unknown][] = [
      ['code', input.code],
      ['name', input.name],
      ['kind', input.kind],
      ['parent_id', input.parentId],
      ['supervisor_department_id', input.supervisorDepartmentId],
      ['aliases', input.aliases],
    ];
    const set = fields.filter(([, v]) => v !== undefined);
    if (set.length > 0) {
      await this.write(() =>
        this.db.query(`UPDATE departments SET ${set.map(([c], i) => `${c} = $${i + 2}`).join(', ')}, updated_at = now() WHERE id = $1`, [
          id,
          ...set.map(([, v]) => v),
        ]),
      );
    }
    return this.get(id);
  }

  /** A department may not move under itself or one of its descendants. */
  private async refuseCycle(id: string, parentId: string): Promise<void> {
    const [row] = await this.db.query<{ cycle: boolean | null }[]>(
      `WITH RECURSIVE up(id, depth) AS (
         SELECT $2::uuid, 0
         UNION ALL SELECT d.parent_id, up.depth + 1 FROM up JOIN departments d ON d.id = up.id WHERE d.parent_id IS NOT NULL AND up.depth < 64)
       SELECT bool_or(id = $1::uuid) AS cycle FROM up`,
      [id, parentId],
    );
    if (row?.cycle) throw new DepartmentCycleError();
  }

  private async write<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (pgCode(err) === PG_UNIQUE) throw new ConflictError('已有相同编码的单位。A department with this code already exists.');
      if (pgCode(err) === PG_FOREIGN_KEY) {
        const detail = String((err as { detail?: string; driverError?: { detail?: string } }).driverError?.detail ?? '');
        throw new InvalidInputError(detail.includes('supervisor_department_id') ? 'supervisorDepartmentId' : 'parentId', '单位不存在 (no such department)');
      }
      throw err;
    }
  }
}
