import type { ParsedPlan } from '@duban/plan-import';
import { WITHDRAWN_STATE } from '@duban/engine';
import { type TaskRevision, unique } from '@duban/tasks';
import type { EntityManager } from 'typeorm';
import type { ExistingPlanItem, PlanDifferences, PlanItemState, PlanUnit } from './plan-diff.js';
import type { PlanPreview, PreviewItem } from './plans.service.js';

/** A county's share of a fanned-out item (its child task). */
export interface PlanShare {
  taskId: string;
  countyId: string;
  open: boolean;
}

/** The items of an imported plan as their tasks say now, and each fanned-out item's shares by item task id. */
export interface ImportedItems {
  items: ExistingPlanItem[];
  shares: Map<string, PlanShare[]>;
}

interface ItemRow {
  id: string;
  parent_id: string | null;
  title: string;
  body: string | null;
  due_at: Date | null;
  /** The due date the plan's text gave (tasks.data.plan.dueAt); absent on tasks imported before it was recorded. */
  text_due_at: string | null;
  has_text_due: boolean;
  closed_at: Date | null;
  number: string | null;
  section: string | null;
  owners: { id: string; name: string; role: 'lead' | 'co' }[];
}

/**
 * The plan's items (its tasks without a parent in the plan) and their counties' shares (its tasks
 * whose parent is an item), in creation order; tasks withdrawn by an earlier revision are no
 * longer items of the plan. Owners in their order, with their department names.
 */
export async function importedItems(db: EntityManager, planId: string): Promise<ImportedItems> {
  const rows = await db.query<ItemRow[]>(
    `SELECT t.id, t.parent_id, t.title, t.body, t.due_at, t.closed_at,
            t.data #>> '{plan,number}' AS number, t.data #>> '{plan,section}' AS section,
            t.data #>> '{plan,dueAt}' AS text_due_at, coalesce(t.data -> 'plan' ? 'dueAt', false) AS has_text_due,
            (SELECT coalesce(json_agg(json_build_object('id', o.department_id, 'name', d.name, 'role', o.role) ORDER BY o.position), '[]')
               FROM task_owners o JOIN departments d ON d.id = o.department_id WHERE o.task_id = t.id) AS owners
       FROM tasks t WHERE t.plan_id = $1 AND t.state <> $2 ORDER BY t.created_at, t.ref`,
    [planId, WITHDRAWN_STATE.key],
  );
  const ids = new Set(rows.filter((r) => !r.parent_id).map((r) => r.id));
  const shares = new Map<string, PlanShare[]>();
  for (const r of rows) {
    if (!r.parent_id || !ids.has(r.parent_id) || !r.owners[0]) continue;
    shares.set(r.parent_id, [...(shares.get(r.parent_id) ?? []), { taskId: r.id, countyId: r.owners[0].id, open: !r.closed_at }]);
  }
  const unit = (o: ItemRow['owners'][number]): PlanUnit => ({ id: o.id, name: o.name });
  const items = rows
    .filter((r) => ids.has(r.id))
    .map((r): ExistingPlanItem => ({
      taskId: r.id,
      open: !r.closed_at,
      number: r.number ?? '',
      section: r.section,
      title: r.title,
      body: r.body ?? '',
      leads: r.owners.filter((o) => o.role === 'lead').map(unit),
      cos: r.owners.filter((o) => o.role === 'co').map(unit),
      // A share closed already is done; the item still fans out to it.
      fanOut: rows.filter((c) => c.parent_id === r.id && c.owners[0]).map((c) => unit(c.owners[0]!)),
      // The text's date, not the task's: an approved extension (延期) moved due_at, and the text
      // read again is no change. A task imported before the text's date was recorded has its own.
      dueAt: r.has_text_due ? r.text_due_at : (r.due_at?.toISOString() ?? null),
    }));
  return { items, shares };
}

/**
 * The new text's items in the diff's terms: each owner by its resolved department (an unresolved
 * one by its name, so that it differs), leads before co-units as the tasks are created (itemTasks),
 * the counties of a co fan-out among the co-units.
 */
export function incomingItems(preview: PlanPreview, parsed: ParsedPlan, names: ReadonlyMap<string, string>): PlanItemState[] {
  const unit = (o: { name: string; departmentId: string | null }): PlanUnit =>
    o.departmentId ? { id: o.departmentId, name: names.get(o.departmentId) ?? o.name } : { id: `?${o.name}`, name: o.name };
  return preview.items.map((item, index) => {
    const leads = uniqueUnits(item.owners.filter((o) => o.role === 'lead').map(unit));
    const counties = coCounties(item).map((id) => ({ id, name: names.get(id) ?? id }));
    const cos = uniqueUnits([...item.owners.filter((o) => o.role === 'co').map(unit), ...counties]).filter((c) => !leads.some((l) => l.id === c.id));
    return {
      number: item.number,
      section: item.section,
      title: item.title,
      body: parsed.items[index]!.body,
      leads,
      cos,
      fanOut: item.fanOut.map((id) => ({ id, name: names.get(id) ?? id })),
      dueAt: item.dueAt,
    };
  });
}

/** The counties an item's co fan-out makes co-units of the item (`配合单位：各县(市、区)政府`); none for a lead fan-out. */
export function coCounties(item: Pick<PreviewItem, 'fanOut' | 'fanOutRole'>): string[] {
  return item.fanOutRole === 'co' ? item.fanOut : [];
}

const uniqueUnits = (units: PlanUnit[]) => unique(units.map((u) => u.id)).map((id) => units.find((u) => u.id === id)!);

/**
 * A changed item's task revision: its wording, its owners (an item naming no lead keeps its
 * task's leads: the importing bureau coordinates it), and a due date only when the text's date
 * changed — otherwise the task keeps its own, which an approved extension (延期) may have moved.
 * `before.dueAt` is the date the text gave at import (importedItems).
 */
export function taskRevision(before: PlanItemState, after: PlanItemState): TaskRevision {
  const leads = after.leads.length > 0 ? after.leads : before.leads;
  // A unit that leads the task (the importing bureau kept as lead) is not also one of its co-units.
  const cos = after.cos.filter((c) => !leads.some((l) => l.id === c.id));
  return {
    title: after.title,
    body: after.body,
    ...(textDueChanged(before, after) ? { dueAt: after.dueAt ? new Date(after.dueAt) : null } : {}),
    owners: [...leads.map((u) => ({ departmentId: u.id, role: 'lead' as const })), ...cos.map((u) => ({ departmentId: u.id, role: 'co' as const }))],
  };
}

/** Whether the text's due date for an item differs from the one it gave at import (same instant: no change). */
export function textDueChanged(before: Pick<PlanItemState, 'dueAt'>, after: Pick<PlanItemState, 'dueAt'>): boolean {
  const instant = (d: string | null) => (d === null ? null : new Date(d).getTime());
  return instant(before.dueAt) !== instant(after.dueAt);
}

/** The audit entry's and the notice's words for an item's change, e.g. `牵头单位：市发展改革委 → 市财政局`. */
export function changeWords(change: PlanDifferences['changed'][number], timezone: string): string {
  const LABELS = { leads: '牵头单位', cos: '配合单位', fanOut: '分解到', dueAt: '完成时限', title: '标题', body: '内容' } as const;
  const value = (field: string, v: string | null) => {
    if (v === null) return '无';
    if (field === 'dueAt') return new Date(v).toLocaleDateString('zh-CN', { timeZone: timezone, year: 'numeric', month: 'long', day: 'numeric' });
    return field === 'body' ? '（已修改）' : v;
  };
  return change.changes
    .map((c) => (c.field === 'body' ? `${LABELS.body}已修改` : `${LABELS[c.field]}：${value(c.field, c.from)} → ${value(c.field, c.to)}`))
    .join('；');
}
