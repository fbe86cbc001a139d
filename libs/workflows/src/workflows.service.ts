import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CalendarsService } from '@duban/calendars';
import { WorkflowVersionEntity } from '@duban/db';
import { DEFAULT_CALENDAR, type DefinitionError, validateDefinition, type WorkflowDefinition } from '@duban/engine';
import { DataSource } from 'typeorm';
import { DefinitionInvalidError, WorkflowNotFoundError } from './errors.js';

export interface PublishedWorkflow {
  key: string;
  version: number;
  name: string;
  publishedAt: Date;
  publishedBy: string | null;
  /** As published; the runtime (WorkflowRuntime) reads KPI roles of older versions by action name. */
  definition: WorkflowDefinition;
  /** Whether the version was published after transitions declared their KPI role. */
  kpiDeclared: boolean;
}

@Injectable()
export class WorkflowsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CalendarsService) private readonly calendars: CalendarsService,
  ) {}

  /** The definition's own errors, and a calendar that does not exist. */
  async check(input: unknown): Promise<DefinitionError[]> {
    const errors = validateDefinition(input);
    if (errors.length > 0) return errors;
    const calendar = (input as WorkflowDefinition).calendar ?? DEFAULT_CALENDAR;
    if (!(await this.calendars.exists(calendar))) return [{ path: 'calendar', message: `工作日历“${calendar}”不存在。Unknown calendar "${calendar}".` }];
    return [];
  }

  /** Publishes the next version of the key; published versions never change. */
  async publish(input: unknown, publishedBy: string | null): Promise<{ key: string; version: number }> {
    const errors = await this.check(input);
    if (errors.length > 0) throw new DefinitionInvalidError(errors);
    const definition = input as WorkflowDefinition;
    return this.db.transaction(async (tx) => {
      // Two admins publishing the same key at once get consecutive versions, not a conflict.
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`workflow:${definition.key}`]);
      const [{ next }] = (await tx.query('SELECT coalesce(max(version), 0) + 1 AS next FROM workflow_versions WHERE key = $1', [definition.key])) as {
        next: number;
      }[];
      await tx.query('INSERT INTO workflow_versions (key, version, name, definition, published_by) VALUES ($1, $2, $3, $4::jsonb, $5)', [
        definition.key,
        next,
        definition.name,
        JSON.stringify(definition),
        publishedBy,
      ]);
      return { key: definition.key, version: Number(next) };
    });
  }

  async latestVersions(page: number, limit: number): Promise<{ items: Omit<PublishedWorkflow, 'definition' | 'kpiDeclared'>[]; total: number }> {
    const rows: { key: string; version: number; name: string; published_at: Date; published_by: string | null; total: string }[] = await this.db.query(
      `SELECT DISTINCT ON (key) key, version, name, published_at, published_by, count(*) OVER () AS total
         FROM workflow_versions ORDER BY key, version DESC`,
    );
    const total = rows.length;
    return {
      items: rows.slice((page - 1) * limit, page * limit).map((r) => ({
        key: r.key,
        version: r.version,
        name: r.name,
        publishedAt: r.published_at,
        publishedBy: r.published_by,
      })),
      total,
    };
  }

  async get(key: string, version?: number): Promise<PublishedWorkflow> {
    const row = await this.db.getRepository(WorkflowVersionEntity).findOne({
      where: version === undefined ? { key } : { key, version },
      order: { version: 'DESC' },
    });
    if (!row) throw new WorkflowNotFoundError(key, version);
    return {
      key: row.key,
      version: row.version,
      name: row.name,
      publishedAt: row.publishedAt,
      publishedBy: row.publishedBy,
      definition: row.definition as unknown as WorkflowDefinition,
      kpiDeclared: row.kpiDeclared,
    };
  }
}
