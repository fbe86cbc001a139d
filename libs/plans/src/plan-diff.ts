/**
 * How a plan imported before differs from the same plan (same title and year) as it reads now:
 * items added, removed and changed (owners, fan-out, due date, wording). Pure: the caller reads
 * the existing items from their tasks and resolves the new text's unit names first.
 */

/** A department as the differences name it. */
export interface PlanUnit {
  id: string;
  name: string;
}

/** One item of a plan, in the terms both sides share: resolved units, an ISO due instant. */
export interface PlanItemState {
  number: string;
  section: string | null;
  title: string;
  body: string;
  /** In order; the first is the primary lead. */
  leads: PlanUnit[];
  cos: PlanUnit[];
  /** The county departments the item fans out to, one child task each. */
  fanOut: PlanUnit[];
  /**
   * ISO instant; null: no due date (long-term). For an imported item, the date its text gave
   * (tasks.data.plan.dueAt), not the task's current due_at, which an approved extension moves.
   */
  dueAt: string | null;
}

/** An item of the imported plan: its task, and whether that task is still open. */
export interface ExistingPlanItem extends PlanItemState {
  taskId: string;
  open: boolean;
}

export type PlanChangeField = 'leads' | 'cos' | 'fanOut' | 'dueAt' | 'title' | 'body';

/** One changed field, old and new value as a person reads them (names joined with 、, ISO instants). */
export interface PlanFieldChange {
  field: PlanChangeField;
  from: string | null;
  to: string | null;
}

export interface PlanAddedItem {
  /** Index in the new text's items. */
  index: number;
  number: string;
  title: string;
}

export interface PlanRemovedItem {
  taskId: string;
  number: string;
  title: string;
  /** An open task is withdrawn on revision; a closed one is left as it is. */
  open: boolean;
}

export interface PlanChangedItem {
  taskId: string;
  /** Index in the new text's items. */
  index: number;
  /** The number as the new text prints it. */
  number: string;
  title: string;
  /** An open task is revised; a closed one is left as it is. */
  open: boolean;
  changes: PlanFieldChange[];
}

export interface PlanDifferences {
  added: PlanAddedItem[];
  removed: PlanRemovedItem[];
  changed: PlanChangedItem[];
}

/** Numbers and titles compare without caring for parenthesis width, full stops or stray spaces. */
const key = (text: string) =>
  text
    .replace(/\s+/g, '')
    .replace(/（/g, '(')
    .replace(/）/g, ')')
    .replace(/[．。.、,，;；:：]+$/u, '')
    .replace(/．/g, '.');

/** Wording compares as key does, inside the text too (a re-typed comma is not a change). */
const wording = (text: string) => key(text).replace(/，/g, ',').replace(/；/g, ';').replace(/：/g, ':');

const names = (units: readonly PlanUnit[]) => (units.length === 0 ? null : units.map((u) => u.name).join('、'));
const ids = (units: readonly PlanUnit[]) => units.map((u) => u.id).join(',');
const sortedIds = (units: readonly PlanUnit[]) => [...units.map((u) => u.id)].sort().join(',');

/** What changed between an item as imported and as it reads now, in PlanChangeField order. */
export function itemChanges(before: PlanItemState, after: PlanItemState): PlanFieldChange[] {
  const changes: PlanFieldChange[] = [];
  // An item that names no lead but fans out is coordinated by whoever imported it: nothing to compare.
  if (after.leads.length > 0 && ids(before.leads) !== ids(after.leads)) changes.push({ field: 'leads', from: names(before.leads), to: names(after.leads) });
  if (sortedIds(before.cos) !== sortedIds(after.cos)) changes.push({ field: 'cos', from: names(before.cos), to: names(after.cos) });
  if (sortedIds(before.fanOut) !== sortedIds(after.fanOut)) changes.push({ field: 'fanOut', from: names(before.fanOut), to: names(after.fanOut) });
  const due = (d: string | null) => (d === null ? null : new Date(d).getTime());
  if (due(before.dueAt) !== due(after.dueAt)) changes.push({ field: 'dueAt', from: before.dueAt, to: after.dueAt });
  if (wording(before.title) !== wording(after.title)) changes.push({ field: 'title', from: before.title, to: after.title });
  if (wording(before.body) !== wording(after.body)) changes.push({ field: 'body', from: before.body, to: after.body });
  return changes;
}

/**
 * The differences between the items of a plan as imported (`existing`) and as its text reads now
 * (`incoming`, in text order). Items are paired in three passes, each over the items not paired
 * yet: (1) the same number in the same section with the same title; (2) the same title, when it
 * is unique on both sides (an item inserted or removed above shifted the numbers); (3) the same
 * number in the same section (the item was reworded). What stays unpaired is added or removed;
 * an item both renumbered and reworded therefore reads as one removed and one added. A changed
 * number alone is not a change: the task keeps the number it was imported with.
 * @returns added in text order, removed in existing order, changed in text order; empty lists
 *   when nothing differs.
 */
export function diffPlan(existing: readonly ExistingPlanItem[], incoming: readonly PlanItemState[]): PlanDifferences {
  const pairOf = new Map<number, ExistingPlanItem>();
  const taken = new Set<ExistingPlanItem>();
  const place = (i: PlanItemState) => `${key(i.section ?? '')}|${key(i.number)}`;
  const pass = (match: (item: PlanItemState, old: ExistingPlanItem) => boolean, unique = false) => {
    incoming.forEach((item, index) => {
      if (pairOf.has(index)) return;
      const candidates = existing.filter((old) => !taken.has(old) && match(item, old));
      if (candidates.length === 0) return;
      if (unique) {
        const rivals = incoming.filter((other, j) => !pairOf.has(j) && match(other, candidates[0]!));
        if (candidates.length > 1 || rivals.length > 1) return;
      }
      pairOf.set(index, candidates[0]!);
      taken.add(candidates[0]!);
    });
  };
  pass((item, old) => place(item) === place(old) && wording(item.title) === wording(old.title));
  pass((item, old) => wording(item.title) === wording(old.title), true);
  pass((item, old) => place(item) === place(old));

  const differences: PlanDifferences = { added: [], removed: [], changed: [] };
  incoming.forEach((item, index) => {
    const old = pairOf.get(index);
    if (!old) {
      differences.added.push({ index, number: item.number, title: item.title });
      return;
    }
    const changes = itemChanges(old, item);
    if (changes.length > 0) differences.changed.push({ taskId: old.taskId, index, number: item.number, title: item.title, open: old.open, changes });
  });
  for (const old of existing) if (!taken.has(old)) differences.removed.push({ taskId: old.taskId, number: old.number, title: old.title, open: old.open });
  return differences;
}

/** Whether the differences say anything. */
export const hasDifferences = (d: PlanDifferences) => d.added.length + d.removed.length + d.changed.length > 0;

/**
 * What a revision would write: the items added, and the open tasks of the items removed or
 * changed. A plan imported again whose only differences are in closed tasks has nothing to
 * revise and answers as an unchanged one (200, nothing written).
 */
export function toRevise(d: PlanDifferences): PlanDifferences {
  return { added: d.added, removed: d.removed.filter((r) => r.open), changed: d.changed.filter((c) => c.open) };
}
