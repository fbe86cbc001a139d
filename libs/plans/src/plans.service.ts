import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type BusinessCalendar, dateOfDay, dayNumber } from '@duban/calendar';
import { databaseNow } from '@duban/db';
import { WITHDRAWN_STATE } from '@duban/engine';
import { InvalidInputError } from '@duban/http';
import { nameCandidates, type ParsedPlan, type PlanDocument, PlanYearMissingError } from '@duban/plan-import';
import {
  type Caller,
  lightOf as taskLight,
  type NewTask,
  type RequestContext,
  type Scope,
  scopeCondition,
  scopeOf,
  TasksService,
  type TaskView,
  unique,
  type WorkingClock,
} from '@duban/tasks';
import { WorkflowRuntime } from '@duban/workflows';
import { DataSource, type EntityManager } from 'typeorm';
import { PlanChangedError, PlanItemsWithoutOwnersError, PlanNamesUnresolvedError, PlanNoItemsError, PlanNotFoundError } from './errors.js';
import { diffPlan, hasDifferences, type PlanDifferences, toRevise } from './plan-diff.js';
import { parsePlan } from './plan-parser.js';
import { changeWords, coCounties, importedItems, incomingItems, taskRevision } from './plan-revision.js';
import { documentText } from './plan-text.js';

export const DEFAULT_PLAN_WORKFLOW = 'plan-item';

/** A plan file as read by readPlanFile (plan-files.ts), with the name it was uploaded under. */
export interface PlanFile {
  filename: string;
  document: PlanDocument;
}

/** What a plan is imported from: the text as pasted, or a file already read into a document. */
export type PlanSource = { text: string } | { file: PlanFile };

export interface PreviewOwner {
  name: string;
  departmentId: string | null;
  role: 'lead' | 'co';
}

export interface PreviewItem {
  number: string;
  section: string | null;
  title: string;
  /** The units the text names, in order; a fan-out phrase (各县（市、区）政府) is never among them, only in `fanOut`. */
  owners: PreviewOwner[];
  /** The county governments the item fans out to, one child task each, each county leading its share. */
  fanOut: string[];
  /**
   * Where the fan-out phrase stood: `lead` (`…、各县（市、区）政府牵头`), the counties own only their
   * shares; `co` (`配合单位：各县（市、区）政府`), each county is also a co-unit (配合单位) of the item.
   */
  fanOutRole: 'lead' | 'co';
  dueAt: string | null;
  /** The words the due date was read from (年底, 6月底前…), null when the text names none. */
  dueText: string | null;
  targets: string[];
  warnings: string[];
}

export interface PlanPreview {
  title: string;
  year: number;
  items: PreviewItem[];
  unresolved: string[];
  /** The same names with the items that use them, to find them in the text. */
  unresolvedIn: { name: string; items: string[] }[];
  warnings: string[];
  /** The plan of this title and year imported before, null when there is none. */
  existingPlanId: string | null;
  /** How the text differs from that plan's items (plan-diff.ts); null when there is none. */
  differences: PlanDifferences | null;
}

/** POST /plans/import's answer; `revised` when the import revised a plan imported before. */
export interface PlanImported {
  planId: string;
  tasksCreated: number;
  revised?: { added: number; removed: number; changed: number };
}

export interface PlanSummary {
  id: string;
  title: string;
  year: number;
  workflow: string;
  /** Items of the plan (top-level tasks); tasks counts the counties' shares too. */
  itemCount: number;
  taskCount: number;
  closedCount: number;
  createdAt: string;
}

type Light = TaskView['light'];
type LightCounts = Record<Light, number>;

export interface PlanRollup extends PlanSummary {
  /** Overall progress 0–1: each item counts equally; a fanned-out item by its counties' share done. */
  progress: number;
  byLight: LightCounts;
  children: { done: number; total: number };
  byDepartment: { departmentId: string; name: string; tasks: number; closed: number; byLight: LightCounts }[];
  items: {
    taskId: string;
    ref: string;
    number: string | null;
    title: string;
    state: string;
    light: Light;
    dueAt: string | null;
    progress: number;
    children: { done: number; total: number };
  }[];
}

interface Directory {
  /** Department names by id. */
  names: Map<string, string>;
  byName: Map<string, string>;
  byAlias: Map<string, string>;
  counties: { id: string; name: string }[];
}

/** Names compare without caring for parenthesis width or stray spaces. */
const nameKey = (name: string) => name.replace(/\s+/g, '').replace(/（/g, '(').replace(/）/g, ')');

/** Items that say they run for the long term get no due date; the rest are due by the plan's year end. */
const LONG_TERM = /长期|持续/;

const noLights = (): LightCounts => ({ green: 0, yellow: 0, red: 0 });

/**
 * The numbers of items that cannot become tasks: no unit and no county named, or no lead named
 * while the importer has no department to lead them (itemTasks makes the importing bureau the lead).
 */
function ownerlessItems(items: readonly PreviewItem[], caller: Caller): string[] {
  return items
    .filter((i) => (i.owners.length === 0 && i.fanOut.length === 0) || (!i.owners.some((o) => o.role === 'lead') && !caller.departmentId))
    .map((i) => i.number);
}

@Injectable()
export class PlansService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(TasksService) private readonly tasks: TasksService,
    @Inject(WorkflowRuntime) private readonly runtime: WorkflowRuntime,
  ) {}

  /** Nothing is saved. 400 plan-no-items when the text or file holds no item, as import answers. */
  async preview(source: string | PlanSource, year?: number, workflow = DEFAULT_PLAN_WORKFLOW): Promise<PlanPreview> {
    const parsed = await this.parse(typeof source === 'string' ? { text: source } : source, year);
    const { calendar } = await this.runtime.named(workflow);
    const directory = await this.directory();
    const preview = this.resolve(parsed, directory, calendar);
    const existingPlanId = await this.findPlan(parsed.title, parsed.year);
    if (!existingPlanId) return preview;
    const differences = diffPlan((await importedItems(this.db.manager, existingPlanId)).items, incomingItems(preview, parsed, directory.names));
    return { ...preview, existingPlanId, differences };
  }

  /** One transaction: the plan, each item's task and, for a fanned-out item, one child per county. */
  async import(
    caller: Caller,
    input: PlanSource & { year?: number; workflow?: string; revise?: boolean },
    ctx: RequestContext,
    /** When the plan was issued, for a seeder that back-dates it; default: now. */
    issuedAt?: Date,
  ): Promise<{ status: 200 | 201; body: PlanImported }> {
    const workflow = input.workflow ?? DEFAULT_PLAN_WORKFLOW;
    const parsed = await this.parse(input, input.year);
    // A file is kept as its text (paragraphs, then a table's rows a line each, cells tab-separated).
    const source = 'text' in input ? input.text : documentText(input.file.document);
    const creation = await this.runtime.named(workflow);
    const directory = await this.directory();
    const preview = this.resolve(parsed, directory, creation.calendar);
    const existing = await this.findPlan(parsed.title, parsed.year);
    if (existing) return this.revise(caller, existing, { source, revise: input.revise, parsed, preview, creation, names: directory.names }, ctx);
    if (preview.unresolvedIn.length > 0) throw new PlanNamesUnresolvedError(preview.unresolvedIn);
    // An item that names no lead is led by the importing bureau, so it needs one (itemTasks).
    const ownerless = ownerlessItems(preview.items, caller);
    if (ownerless.length > 0) throw new PlanItemsWithoutOwnersError(ownerless);

    return this.db.transaction(async (tx) => {
      const [plan] = (await tx.query(
        `INSERT INTO plans (title, year, workflow_key, source, created_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (title, year) DO NOTHING RETURNING id`,
        [parsed.title, parsed.year, creation.key, source, caller.id],
      )) as { id: string }[];
      // Another import of the same plan committed first (the insert waited for it).
      if (!plan) return { status: 200 as const, body: { planId: (await this.findPlan(parsed.title, parsed.year, tx))!, tasksCreated: 0 } as PlanImported };

      const inputs = itemTasks(preview, parsed, creation.key, plan.id, caller.departmentId);
      await this.tasks.insertWithin(tx, caller, creation, inputs, ctx, issuedAt ?? (await databaseNow(tx)));
      return { status: 201 as const, body: { planId: plan.id, tasksCreated: inputs.length } };
    });
  }

  /**
   * Importing a plan imported before (same title and year): compared item by item (diffPlan).
   * Nothing to revise: 200 with its id and nothing written. Otherwise, without `revise`: 409
   * plan-changed with the differences. With it, one transaction under the plan's lock: added
   * items become tasks as on import (fan-outs included); a removed item's open task and its
   * counties' open shares are withdrawn (撤销); a changed item's open task is revised (wording,
   * owners, due date; its open shares follow its wording and due date, counties added get a share,
   * counties dropped have theirs withdrawn), each through TasksService.reviseWithin (audit,
   * timers, notices). Tasks already closed are left as they are.
   * @throws PlanChangedError (409); PlanNamesUnresolvedError, PlanItemsWithoutOwnersError (422) when revising.
   */
  private async revise(
    caller: Caller,
    planId: string,
    input: {
      /** The plan's text as stored in plans.source (a file's text rendering). */
      source: string;
      revise?: boolean;
      parsed: ParsedPlan;
      preview: PlanPreview;
      creation: Awaited<ReturnType<WorkflowRuntime['named']>>;
      names: Map<string, string>;
    },
    ctx: RequestContext,
  ): Promise<{ status: 200; body: PlanImported }> {
    const { parsed, preview, creation } = input;
    const incoming = incomingItems(preview, parsed, input.names);
    const pending = toRevise(diffPlan((await importedItems(this.db.manager, planId)).items, incoming));
    if (!hasDifferences(pending)) return { status: 200, body: { planId, tasksCreated: 0 } };
    if (!input.revise) throw new PlanChangedError(parsed.title, planId, pending);
    if (preview.unresolvedIn.length > 0) throw new PlanNamesUnresolvedError(preview.unresolvedIn);

    return this.db.transaction(async (tx) => {
      // Two revisions of one plan take turns; each compares with what the other left.
      await tx.query(`SELECT id FROM plans WHERE id = $1 FOR UPDATE`, [planId]);
      const imported = await importedItems(tx, planId);
      const d = toRevise(diffPlan(imported.items, incoming));
      // On the items this revision adds, as compared under the lock (the transaction rolls back).
      const ownerless = ownerlessItems(
        d.added.map((a) => preview.items[a.index]!),
        caller,
      );
      if (ownerless.length > 0) throw new PlanItemsWithoutOwnersError(ownerless);
      const now = await databaseNow(tx);
      const about = `计划《${parsed.title}》修订`;
      const added = d.added.map((a) => a.index);
      const inputs = itemTasks(
        { ...preview, items: added.map((i) => preview.items[i]!) },
        { ...parsed, items: added.map((i) => parsed.items[i]!) },
        creation.key,
        planId,
        caller.departmentId,
      );
      const revisions: Revisions = [];
      const withdraw = (taskId: string, comment: string) => revisions.push({ taskId, comment, withdraw: true });
      for (const r of d.removed) {
        withdraw(r.taskId, `${about}：删除事项${r.number}${r.title}`);
        for (const share of imported.shares.get(r.taskId) ?? []) if (share.open) withdraw(share.taskId, `${about}：删除事项${r.number}${r.title}`);
      }
      for (const c of d.changed) {
        const writes = changedItemWrites(c, imported, incoming[c.index]!, preview.items[c.index]!, `${about}：事项${c.number}`, creation, planId);
        revisions.push(...writes.revisions);
        inputs.push(...writes.shares);
      }
      await this.tasks.insertWithin(tx, caller, creation, inputs, ctx, now);
      const written = new Set(await this.tasks.reviseWithin(tx, caller, revisions, ctx, now));
      await recordTextDates(tx, revisions);
      await tx.query(`UPDATE plans SET source = $2 WHERE id = $1`, [planId, input.source]);
      return {
        status: 200 as const,
        body: {
          planId,
          tasksCreated: inputs.length,
          revised: {
            added: d.added.length,
            removed: d.removed.filter((r) => written.has(r.taskId)).length,
            changed: d.changed.filter((c) => written.has(c.taskId)).length,
          },
        },
      };
    });
  }

  /** The plans with a task the caller may see, each counted over those tasks only (planScope). */
  async list(caller: Caller, page: number, limit: number): Promise<{ items: PlanSummary[]; total: number }> {
    const scope = await scopeOf(this.db.manager, caller);
    const params: unknown[] = [];
    const summary = scopedSummary(scope, params);
    const [{ total }] = await this.db.query<{ total: number }[]>(`SELECT count(*)::int AS total FROM (${summary}) s`, params);
    const rows = await this.db.query<SummaryRow[]>(
      `SELECT * FROM (${summary}) s ORDER BY s.year DESC, s.created_at DESC, s.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, limit, (page - 1) * limit],
    );
    return { items: rows.map(toSummary), total };
  }

  /**
   * The roll-up over the tasks the caller may see, without those a revision withdrew (撤销): an item it may not see is absent, the
   * figures count visible tasks only; a plan with none answers 404 like an unknown plan.
   */
  async get(caller: Caller, id: string): Promise<PlanRollup> {
    const scope = await scopeOf(this.db.manager, caller);
    const params: unknown[] = [id];
    const [plan] = await this.db.query<{ id: string }[]>(`SELECT p.id FROM plans p WHERE p.id = $1`, params);
    if (!plan) throw new PlanNotFoundError(id);
    const all = (await this.db.query(
      `SELECT t.id, t.ref, t.title, t.state, t.parent_id, t.due_at, t.closed_at, t.paused_since, t.card, t.created_at, t.progress,
              t.workflow_key, t.workflow_version, t.paused_working_ms::float8 AS paused_working_ms,
              t.data #>> '{plan,number}' AS number, o.department_id AS lead, d.name AS lead_name,
              (${planWide(scope, params)} OR ${scopeCondition(scope, params)}) AS visible
         FROM tasks t
         JOIN plans p ON p.id = t.plan_id
         LEFT JOIN task_owners o ON o.task_id = t.id AND o.position = 0
         LEFT JOIN departments d ON d.id = o.department_id
        WHERE t.plan_id = $1 AND t.state <> '${WITHDRAWN_STATE.key}'
        ORDER BY t.created_at, t.ref`,
      params,
    )) as RollupRow[];
    const tasks = all.filter((t) => t.visible);
    if (tasks.length === 0) throw new PlanNotFoundError(id);
    const summaryParams: unknown[] = [id];
    const [row] = await this.db.query<SummaryRow[]>(`SELECT * FROM (${scopedSummary(scope, summaryParams)}) s WHERE s.id = $1`, summaryParams);
    return this.rollup(row!, all, tasks);
  }

  private async rollup(row: SummaryRow, all: RollupRow[], tasks: RollupRow[]): Promise<PlanRollup> {
    const now = new Date();
    // A plan's tasks share one or two workflow versions: one calendar lookup each.
    const clocks = new Map<string, WorkingClock>();
    for (const t of all) {
      const version = `${t.workflow_key}@${t.workflow_version}`;
      if (!clocks.has(version)) clocks.set(version, (await this.runtime.pinned(t.workflow_key, t.workflow_version)).calendar);
    }
    const lightOf = (t: RollupRow) => taskLight(t, now, clocks.get(`${t.workflow_key}@${t.workflow_version}`)!);
    // A visible item is shown whole (its counties' shares make its progress and light); the
    // figures by department and the plan's children count only the tasks the caller may see.
    const childrenOf = new Map<string, RollupRow[]>();
    for (const t of all) if (t.parent_id) childrenOf.set(t.parent_id, [...(childrenOf.get(t.parent_id) ?? []), t]);
    const byLight = noLights();
    const departments = new Map<string, PlanRollup['byDepartment'][number]>();
    for (const t of tasks) {
      if (!t.lead) continue;
      const d = departments.get(t.lead) ?? { departmentId: t.lead, name: t.lead_name!, tasks: 0, closed: 0, byLight: noLights() };
      d.tasks++;
      if (t.closed_at) d.closed++;
      d.byLight[lightOf(t)]++;
      departments.set(t.lead, d);
    }
    const visible = new Set(tasks.map((t) => t.id));
    const items = tasks
      .filter((t) => !t.parent_id || !visible.has(t.parent_id))
      .map((t) => {
        const kids = childrenOf.get(t.id) ?? [];
        const done = kids.filter((k) => k.closed_at).length;
        // A fanned-out item is as far as its counties together; its light is the worst of them and its own.
        const lights = [lightOf(t), ...kids.filter((k) => !k.closed_at).map(lightOf)];
        const light: Light = lights.includes('red') ? 'red' : lights.includes('yellow') ? 'yellow' : 'green';
        byLight[light]++;
        const progress = t.closed_at ? 1 : kids.length > 0 ? done / kids.length : (t.progress ?? 0) / 100;
        return {
          taskId: t.id,
          ref: t.ref,
          number: t.number,
          title: t.title,
          state: t.state,
          light,
          dueAt: t.due_at?.toISOString() ?? null,
          progress,
          children: { done, total: kids.length },
        };
      });
    const children = tasks.filter((t) => t.parent_id);
    return {
      ...toSummary(row),
      progress: items.length === 0 ? 0 : Number((items.reduce((sum, i) => sum + i.progress, 0) / items.length).toFixed(4)),
      byLight,
      children: { done: children.filter((c) => c.closed_at).length, total: children.length },
      byDepartment: [...departments.values()].sort((a, b) => b.tasks - a.tasks || a.name.localeCompare(b.name, 'zh')),
      items,
    };
  }

  /** Off the event loop for long texts and documents (plan-parser.ts); a plan of no items is refused, never imported empty. */
  private async parse(source: PlanSource, year?: number): Promise<ParsedPlan> {
    let parsed: ParsedPlan;
    try {
      parsed = await parsePlan('text' in source ? source.text : source.file.document, year);
    } catch (err) {
      if (err instanceof PlanYearMissingError)
        throw new InvalidInputError('year', '标题和正文都没有写年份，请填写计划年度 (the text names no year: give the plan year)');
      throw err;
    }
    if (parsed.items.length === 0) throw new PlanNoItemsError('file' in source ? source.file.filename : undefined, parsed.warnings);
    return parsed;
  }

  private async findPlan(title: string, year: number, db = this.db.manager): Promise<string | null> {
    const [row] = await db.query<{ id: string }[]>(`SELECT id FROM plans WHERE title = $1 AND year = $2`, [title, year]);
    return row?.id ?? null;
  }

  private async directory(): Promise<Directory> {
    const rows = (await this.db.query(`SELECT id, name, aliases, kind FROM departments ORDER BY code`)) as {
      id: string;
      name: string;
      aliases: string[];
      kind: string;
    }[];
    const byName = new Map<string, string>();
    const byAlias = new Map<string, string>();
    for (const r of rows) if (!byName.has(nameKey(r.name))) byName.set(nameKey(r.name), r.id);
    for (const r of rows) for (const a of r.aliases) if (!byAlias.has(nameKey(a))) byAlias.set(nameKey(a), r.id);
    return {
      names: new Map(rows.map((r) => [r.id, r.name])),
      byName,
      byAlias,
      counties: rows.filter((r) => r.kind === 'county').map((r) => ({ id: r.id, name: r.name })),
    };
  }

  /** Exact names first, then aliases, each over the name as written, its expanded short forms and the plan's city prefix. */
  private resolve(parsed: ParsedPlan, directory: Directory, calendar: BusinessCalendar): PlanPreview {
    const city = /^(\p{Script=Han}{2,4}?市)/u.exec(parsed.title)?.[1];
    const lookup = (name: string): string | null => {
      const candidates = nameCandidates(name);
      if (city) for (const c of [...candidates]) if (c.startsWith('市')) candidates.push(city + c.slice(1));
      for (const map of [directory.byName, directory.byAlias]) {
        for (const c of candidates) {
          const id = map.get(nameKey(c));
          if (id) return id;
        }
      }
      return null;
    };
    const yearEnd = this.endOfDay(`${parsed.year}-12-31`, calendar);
    const unresolvedIn = new Map<string, string[]>();
    const items = parsed.items.map((item): PreviewItem => {
      const owners = item.owners.map((o) => {
        const departmentId = lookup(o.name);
        if (!departmentId) {
          const numbers = unresolvedIn.get(o.name) ?? [];
          numbers.push(item.number);
          unresolvedIn.set(o.name, numbers);
        }
        return { name: o.name, departmentId, role: o.role };
      });
      const dueAt = item.due ? this.endOfDay(item.due, calendar) : item.dueText && LONG_TERM.test(item.dueText) ? null : yearEnd;
      const counties = item.fanOut === 'counties' ? directory.counties : [];
      return {
        number: item.number,
        section: item.section,
        title: item.title,
        owners,
        fanOut: counties.map((c) => c.id),
        fanOutRole: item.fanOutRole === 'co' ? 'co' : 'lead',
        dueAt,
        dueText: item.dueText,
        targets: item.targets,
        warnings: [
          ...item.warnings,
          ...(item.fanOut === 'counties' && directory.counties.length === 0 ? ['组织机构中没有县（市、区）政府，无法分解到县区'] : []),
        ],
      };
    });
    return {
      title: parsed.title,
      year: parsed.year,
      items,
      unresolved: [...unresolvedIn.keys()],
      unresolvedIn: [...unresolvedIn].map(([name, numbers]) => ({ name, items: [...new Set(numbers)] })),
      warnings: parsed.warnings,
      existingPlanId: null,
      differences: null,
    };
  }

  /** Due on a date means by the end of that day where the calendar is. */
  private endOfDay(date: string, calendar: BusinessCalendar): string {
    return new Date(calendar.startOfDay(dateOfDay(dayNumber(date) + 1)).getTime() - 1).toISOString();
  }
}

interface RollupRow {
  id: string;
  ref: string;
  title: string;
  state: string;
  parent_id: string | null;
  due_at: Date | null;
  closed_at: Date | null;
  paused_since: Date | null;
  card: 'yellow' | 'red' | null;
  created_at: Date;
  progress: number | null;
  workflow_key: string;
  workflow_version: number;
  paused_working_ms: number;
  number: string | null;
  lead: string | null;
  lead_name: string | null;
  visible: boolean;
}

/**
 * Whether the caller sees the whole plan, as SQL over the plans alias `p`: admins, and the
 * plan's supervisors (those supervising the department of whoever imported it, the bureau that
 * coordinates the plan).
 */
function planWide(scope: Scope, params: unknown[]): string {
  if (scope.all) return 'TRUE';
  if (scope.supervised.length === 0) return 'FALSE';
  return `EXISTS (SELECT 1 FROM users u WHERE u.id = p.created_by AND u.department_id = ANY($${params.push(scope.supervised)}::uuid[]))`;
}

/**
 * Each plan with a task the caller may see, and its counts over those tasks (a task withdrawn by
 * a revision is no longer the plan's, as in the roll-up): items are the
 * visible tasks whose parent is not visible (top-level items, or a county's share of an item
 * the caller does not see). Admins see every plan, with or without tasks.
 */
function scopedSummary(scope: Scope, params: unknown[]): string {
  const wide = planWide(scope, params);
  const visible = (alias: string) => `(${wide} OR ${scopeCondition(scope, params, alias)})`;
  return `
  SELECT p.id, p.title, p.year, p.workflow_key, p.created_at, c.items, c.tasks, c.closed
    FROM plans p
    CROSS JOIN LATERAL (
      SELECT count(*) FILTER (WHERE t.parent_id IS NULL OR NOT EXISTS (SELECT 1 FROM tasks pt WHERE pt.id = t.parent_id AND ${visible('pt')}))::int AS items,
             count(*)::int AS tasks,
             count(t.closed_at)::int AS closed
        FROM tasks t WHERE t.plan_id = p.id AND t.state <> '${WITHDRAWN_STATE.key}' AND ${visible('t')}) c
   WHERE ${scope.all ? 'TRUE' : 'c.tasks > 0'}`;
}

/** A plans row with its counts, as scopedSummary selects it. */
interface SummaryRow {
  id: string;
  title: string;
  year: number;
  workflow_key: string;
  created_at: Date;
  items: number;
  tasks: number;
  closed: number;
}

const toSummary = (r: SummaryRow): PlanSummary => ({
  id: r.id,
  title: r.title,
  year: r.year,
  workflow: r.workflow_key,
  itemCount: r.items,
  taskCount: r.tasks,
  closedCount: r.closed,
  createdAt: r.created_at.toISOString(),
});

type Revisions = Parameters<TasksService['reviseWithin']>[2][number][];

/**
 * The text's new due date becomes the one later imports compare with (importedItems'
 * data.plan.dueAt), on every open task a revision sent it to: also one reviseWithin left unwritten
 * because an extension had already given it that date, which would otherwise read as changed at
 * every import. Revisions without a dueAt (the text's date unchanged) leave it.
 */
async function recordTextDates(tx: EntityManager, revisions: Revisions): Promise<void> {
  for (const r of revisions) {
    if (!('revision' in r) || r.revision.dueAt === undefined) continue;
    await tx.query(
      `UPDATE tasks SET data = jsonb_set(data, '{plan,dueAt}', coalesce(to_jsonb($2::text), 'null'::jsonb))
        WHERE id = $1 AND closed_at IS NULL AND data ? 'plan'`,
      [r.taskId, r.revision.dueAt?.toISOString() ?? null],
    );
  }
}

/**
 * A changed item's writes: its task revised (wording, owners, due date), its open counties'
 * shares following its wording and due date, the shares of counties it no longer fans out to
 * withdrawn, and new shares (tasks to insert) for counties added.
 */
function changedItemWrites(
  c: PlanDifferences['changed'][number],
  imported: Awaited<ReturnType<typeof importedItems>>,
  after: ReturnType<typeof incomingItems>[number],
  item: PreviewItem,
  about: string,
  creation: { key: string; calendar: BusinessCalendar },
  planId: string,
): { revisions: Revisions; shares: NewTask[] } {
  const before = imported.items.find((i) => i.taskId === c.taskId)!;
  const comment = `${about}${changeWords(c, creation.calendar.timezone)}`;
  const revision = taskRevision(before, after);
  const revisions: Revisions = [{ taskId: c.taskId, comment, revision }];
  const shares = imported.shares.get(c.taskId) ?? [];
  const counties = new Set(after.fanOut.map((u) => u.id));
  const leads = revision.owners!.filter((o) => o.role === 'lead').map((o) => o.departmentId);
  for (const share of shares) {
    if (!counties.has(share.countyId)) revisions.push({ taskId: share.taskId, comment: `${about}不再分解到本单位`, withdraw: true });
    // A share keeps its own due date (a county's extension) unless the item's text date changed;
    // the item's leads supervise its shares (as on import): a new lead takes over from the old.
    else
      revisions.push({
        taskId: share.taskId,
        comment,
        revision: {
          title: revision.title,
          body: revision.body,
          ...('dueAt' in revision ? { dueAt: revision.dueAt } : {}),
          supervisingDepartmentIds: leads.filter((l) => l !== share.countyId),
        },
      });
  }
  const added = after.fanOut.filter((u) => !shares.some((s) => s.countyId === u.id));
  return {
    revisions,
    shares: added.map((county) => ({
      workflow: creation.key,
      title: after.title,
      body: after.body,
      leadDepartmentIds: [county.id],
      dueAt: after.dueAt ? new Date(after.dueAt) : undefined,
      parentId: c.taskId,
      // As on import: the item's leads supervise a county's share, unless the county leads the item.
      supervisingDepartmentIds: leads.filter((l) => l !== county.id),
      planId,
      data: { plan: { number: after.number, section: after.section, targets: item.targets, dueText: item.dueText, dueAt: after.dueAt } },
    })),
  };
}

/**
 * The tasks of an imported plan, in order: each item's, then for a fanned-out item one share per
 * county, a child of the item (named by an id given here, as the item does not exist yet).
 */
function itemTasks(preview: PlanPreview, parsed: ParsedPlan, workflow: string, planId: string, importer: string | null): NewTask[] {
  return preview.items.flatMap((item, index) => {
    const named = unique(item.owners.filter((o) => o.role === 'lead').map((o) => o.departmentId!));
    // Units that only fan out or assist: the importing bureau leads the item and coordinates the counties' shares.
    const leads = named.length > 0 ? named : [importer!];
    // Counties named among the co-units (配合单位：各县(市、区)政府) are co-units of the item as well as leads of their shares;
    // never of an item they lead (a county's own import of such an item).
    const cos = unique([...item.owners.filter((o) => o.role === 'co').map((o) => o.departmentId!), ...coCounties(item)]).filter((d) => !leads.includes(d));
    const body = parsed.items[index]!.body;
    const dueAt = item.dueAt ? new Date(item.dueAt) : undefined;
    // The text's date is kept apart from the task's (which an extension moves): a later import compares with it.
    const data = { plan: { number: item.number, section: item.section, targets: item.targets, dueText: item.dueText, dueAt: item.dueAt } };
    const id = randomUUID();
    const parent: NewTask = {
      id,
      workflow,
      title: item.title,
      body,
      leadDepartmentIds: leads,
      coDepartmentIds: cos,
      dueAt,
      planId,
      data,
    };
    // The item's lead coordinates the counties' shares: it sees them and acts as their supervisor.
    const shares = item.fanOut.map((county): NewTask => ({
      workflow,
      title: item.title,
      body,
      leadDepartmentIds: [county],
      dueAt,
      parentId: id,
      // A county that also leads the item does not supervise its own share.
      supervisingDepartmentIds: parent.leadDepartmentIds.filter((d) => d !== county),
      planId,
      data,
    }));
    return [parent, ...shares];
  });
}
