import type { EntityManager } from 'typeorm';
import { lightOf, type WorkingClock } from './task-view.js';
import type { TaskRow } from './task-row.js';

/** The task a child was split from (分解), as its view names it. */
export interface ParentRef {
  id: string;
  ref: string;
  title: string;
}

/**
 * A task's children at a glance: how many, how many open, the lights of the open ones
 * (green + yellow + red = open; a closed share needs no watching) and their mean progress in
 * percent (0–100, a closed child counting 100 and one never reported 0; null without children).
 */
export interface ChildrenSummary {
  total: number;
  open: number;
  green: number;
  yellow: number;
  red: number;
  progress: number | null;
}

/** Where a task stands among its relatives: its parent and its children. */
export interface TaskFamily {
  parent: ParentRef | null;
  children: ChildrenSummary;
}

export const NO_CHILDREN: ChildrenSummary = { total: 0, open: 0, green: 0, yellow: 0, red: 0, progress: null };

/** An open child as its light needs it, with its pinned workflow version (its calendar). */
export interface OpenChildRow extends Pick<TaskRow, 'due_at' | 'paused_since' | 'card' | 'created_at' | 'paused_working_ms'> {
  workflow_key: string;
  workflow_version: number;
}

/** One parent's children as the family query aggregates them. */
export interface ChildrenAggregate {
  total: number;
  /** Mean progress of all children, a closed one counting 100. */
  progress: number;
  open: OpenChildRow[];
}

/** The calendar of a workflow version, for the light of a child pinned to it. */
export type ClockOf = (workflowKey: string, workflowVersion: number) => WorkingClock;

/**
 * The summary of one parent's children at `now`: each open child's light on its own calendar,
 * the mean progress rounded to a whole percent. Pure.
 */
export function childrenSummary(aggregate: ChildrenAggregate | undefined, now: Date, clockOf: ClockOf): ChildrenSummary {
  if (!aggregate || aggregate.total === 0) return NO_CHILDREN;
  const summary = { ...NO_CHILDREN, total: aggregate.total, open: aggregate.open.length, progress: Math.round(aggregate.progress) };
  for (const child of aggregate.open) summary[lightOf({ ...child, closed_at: null }, now, clockOf(child.workflow_key, child.workflow_version))]++;
  return summary;
}

/** What the family query reads: the parents of a page's tasks and the page's children, grouped by parent. */
export interface FamilyRows {
  parents: ParentRef[];
  children: Map<string, ChildrenAggregate>;
}

/**
 * The parents and the children of a page of tasks in one statement (one per page, not per row),
 * whoever may see them: a parent's view is whole, as a plan's roll-up is. Children come from the
 * parent_id index; only the open ones are returned row by row, for their lights.
 */
export async function familyRows(db: EntityManager, rows: readonly Pick<TaskRow, 'id' | 'parent_id'>[]): Promise<FamilyRows> {
  if (rows.length === 0) return { parents: [], children: new Map() };
  const parentIds = [...new Set(rows.flatMap((r) => (r.parent_id ? [r.parent_id] : [])))];
  const [found] = await db.query<{ parents: ParentRef[]; children: RawAggregate[] }[]>(
    `SELECT (SELECT coalesce(json_agg(json_build_object('id', p.id, 'ref', p.ref, 'title', p.title)), '[]')
               FROM tasks p WHERE p.id = ANY($1::uuid[])) AS parents,
            (SELECT coalesce(json_agg(c), '[]') FROM (
               SELECT k.parent_id AS "parentId", count(*)::int AS total,
                      avg(CASE WHEN k.closed_at IS NOT NULL THEN 100 ELSE coalesce(k.progress, 0) END)::float8 AS progress,
                      coalesce(json_agg(json_build_object('workflow_key', k.workflow_key, 'workflow_version', k.workflow_version, 'due_at', k.due_at,
                                 'paused_since', k.paused_since, 'card', k.card, 'created_at', k.created_at, 'paused_working_ms', k.paused_working_ms))
                                 FILTER (WHERE k.closed_at IS NULL), '[]') AS open
                 FROM tasks k WHERE k.parent_id = ANY($2::uuid[]) GROUP BY k.parent_id) c) AS children`,
    [parentIds, rows.map((r) => r.id)],
  );
  const children = new Map(found!.children.map((c) => [c.parentId, { total: c.total, progress: c.progress, open: c.open.map(openChild) }]));
  return { parents: found!.parents, children };
}

/** An open child as JSON carries it: times as text, the paused time as a number. */
type RawChild = Omit<OpenChildRow, 'due_at' | 'paused_since' | 'created_at'> & { due_at: string | null; paused_since: string | null; created_at: string };

/** One parent's children as the family query returns them. */
type RawAggregate = Omit<ChildrenAggregate, 'open'> & { parentId: string; open: RawChild[] };

function openChild(raw: RawChild): OpenChildRow {
  return {
    ...raw,
    due_at: raw.due_at === null ? null : new Date(raw.due_at),
    paused_since: raw.paused_since === null ? null : new Date(raw.paused_since),
    created_at: new Date(raw.created_at),
    paused_working_ms: Number(raw.paused_working_ms),
  };
}

/** What a page's views need of its family: the rows read and the calendars of the open children. */
export interface PageFamily {
  rows: FamilyRows;
  clockOf: ClockOf;
}

/** The family of one task of the page the rows were read for. */
export function familyOf(row: Pick<TaskRow, 'id' | 'parent_id'>, rows: FamilyRows, now: Date, clockOf: ClockOf): TaskFamily {
  return {
    parent: rows.parents.find((p) => p.id === row.parent_id) ?? null,
    children: childrenSummary(rows.children.get(row.id), now, clockOf),
  };
}
