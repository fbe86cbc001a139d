import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CalendarsService } from '@duban/calendars';
import { WorkflowVersionEntity } from '@duban/db';
import { DEFAULT_CALENDAR, type DefinitionError, validateDefinition, type WorkflowDefinition } from '@duban/engine';
import { DataSource } from 'typeorm';
import { DefinitionInvalidError, WorkflowNotFoundError, WorkflowUnchangedError } from './errors.js';

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

/** One entry of a workflow's history (GET /workflows/:key/versions). */
export interface WorkflowVersionEntry {
  version: number;
  name: string;
  publishedAt: Date;
  publishedBy: string | null;
  /** The publisher's display name; null for a version the seed published. */
  publishedByName: string | null;
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

  /**
   * Publishes the next version of the key; published versions never change. A definition equal
   * to the latest version's (as JSON, whatever its key order) is refused: WorkflowUnchangedError.
   */
  async publish(input: unknown, publishedBy: string | null): Promise<{ key: string; version: number }> {
    const errors = await this.check(input);
    if (errors.length > 0) throw new DefinitionInvalidError(errors);
    const definition = input as WorkflowDefinition;
    return this.db.transaction(async (tx) => {
      // Two admins publishing the same key at once get consecutive versions, not a conflict.
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`workflow:${definition.key}`]);
      const [latest] = (await tx.query('SELECT version, definition = $2::jsonb AS same FROM workflow_versions WHERE key = $1 ORDER BY version DESC LIMIT 1', [
        definition.key,
        JSON.stringify(definition),
      ])) as { version: number; same: boolean }[];
      if (latest?.same) throw new WorkflowUnchangedError(definition.key, latest.version);
      const next = (latest?.version ?? 0) + 1;
      await tx.query('INSERT INTO workflow_versions (key, version, name, definition, published_by) VALUES ($1, $2, $3, $4::jsonb, $5)', [
        definition.key,
        next,
        definition.name,
        JSON.stringify(definition),
        publishedBy,
      ]);
      return { key: definition.key, version: next };
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

  /** Every version of the key, newest first, with who published it by name (null: the seed). */
  async history(key: string): Promise<WorkflowVersionEntry[]> {
    const rows = (await this.db.query(
      `SELECT v.version, v.name, v.published_at, v.published_by, u.display_name
         FROM workflow_versions v LEFT JOIN users u ON u.id = v.published_by
        WHERE v.key = $1 ORDER BY v.version DESC`,
      [key],
    )) as { version: number; name: string; published_at: Date; published_by: string | null; display_name: string | null }[];
    if (rows.length === 0) throw new WorkflowNotFoundError(key);
    return rows.map((r) => ({
      version: r.version,
      name: r.name,
      publishedAt: r.published_at,
      publishedBy: r.published_by,
      publishedByName: r.display_name,
    }));
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
