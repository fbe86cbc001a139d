import { describe, expect, it } from '@jest/globals';
import { diffPlan, type ExistingPlanItem, hasDifferences, type PlanItemState, toRevise } from './plan-diff.js';

const A = { id: 'a', name: '市发展改革委' };
const B = { id: 'b', name: '市财政局' };
const C = { id: 'c', name: '市政数局' };
const X = { id: 'x', name: '乐昌市政府' };

const item = (number: string, title: string, more: Partial<PlanItemState> = {}): PlanItemState => ({
  number,
  section: '一、数字政府',
  title,
  body: `${title}。`,
  leads: [A],
  cos: [],
  fanOut: [],
  dueAt: '2023-12-31T15:59:59.999Z',
  ...more,
});
const old = (taskId: string, state: PlanItemState, open = true): ExistingPlanItem => ({ ...state, taskId, open });

const imported = [old('t1', item('1.', '建设一网通办')), old('t2', item('2.', '推进数据共享')), old('t3', item('3.', '完善考核'), false)];

describe('diffPlan', () => {
  it('finds nothing in the same items, whatever the punctuation width and spaces', () => {
    const same = [item('1．', '建设一网通办 '), item('2.', '推进数据共享'), item('3.', '完善考核')];
    const d = diffPlan(imported, same);
    expect(d).toEqual({ added: [], removed: [], changed: [] });
    expect(hasDifferences(d)).toBe(false);
  });

  it('pairs items by title when an item inserted above shifted the numbers: one added, none changed', () => {
    const shifted = [item('1.', '新增安全保障'), item('2.', '建设一网通办'), item('3.', '推进数据共享'), item('4.', '完善考核')];
    const d = diffPlan(imported, shifted);
    expect(d.added).toEqual([{ index: 0, number: '1.', title: '新增安全保障' }]);
    expect(d.removed).toEqual([]);
    expect(d.changed).toEqual([]);
  });

  it('pairs a reworded item by its number and says old and new wording', () => {
    const d = diffPlan(imported, [item('1.', '建设一网通办'), item('2.', '全面推进数据共享'), item('3.', '完善考核')]);
    expect(d.changed).toEqual([
      {
        taskId: 't2',
        index: 1,
        number: '2.',
        title: '全面推进数据共享',
        open: true,
        changes: [
          { field: 'title', from: '推进数据共享', to: '全面推进数据共享' },
          { field: 'body', from: '推进数据共享。', to: '全面推进数据共享。' },
        ],
      },
    ]);
  });
});

describe('diffPlan: what changed', () => {
  it('lists a changed lead, co-units, fan-out and due date with names and instants', () => {
    const d = diffPlan(imported, [
      item('1.', '建设一网通办', { leads: [B], cos: [C], fanOut: [X], dueAt: '2023-06-30T15:59:59.999Z' }),
      item('2.', '推进数据共享'),
      item('3.', '完善考核'),
    ]);
    expect(d.changed[0]!.changes).toEqual([
      { field: 'leads', from: '市发展改革委', to: '市财政局' },
      { field: 'cos', from: null, to: '市政数局' },
      { field: 'fanOut', from: null, to: '乐昌市政府' },
      { field: 'dueAt', from: '2023-12-31T15:59:59.999Z', to: '2023-06-30T15:59:59.999Z' },
    ]);
  });

  it('keeps the lead order (the first is the primary lead) but not the co-units’ order', () => {
    const before = [old('t1', item('1.', '甲', { leads: [A, B], cos: [B, C] }))];
    expect(diffPlan(before, [item('1.', '甲', { leads: [A, B], cos: [C, B] })]).changed).toEqual([]);
    expect(diffPlan(before, [item('1.', '甲', { leads: [B, A], cos: [B, C] })]).changed[0]!.changes).toEqual([
      { field: 'leads', from: '市发展改革委、市财政局', to: '市财政局、市发展改革委' },
    ]);
  });

  it('says a removed item’s task and whether it is still open', () => {
    const d = diffPlan(imported, [item('1.', '建设一网通办')]);
    expect(d.removed).toEqual([
      { taskId: 't2', number: '2.', title: '推进数据共享', open: true },
      { taskId: 't3', number: '3.', title: '完善考核', open: false },
    ]);
  });

  it('reads an item both renumbered and reworded as one removed and one added', () => {
    const d = diffPlan([old('t1', item('1.', '甲事项'))], [item('2.', '乙事项')]);
    expect(d.added.map((a) => a.number)).toEqual(['2.']);
    expect(d.removed.map((r) => r.taskId)).toEqual(['t1']);
    expect(d.changed).toEqual([]);
  });

  it('tells same numbers in different sections apart', () => {
    const before = [old('t1', item('1.', '甲', { section: '一、改革' })), old('t2', item('1.', '乙', { section: '二、保障' }))];
    const d = diffPlan(before, [item('1.', '乙', { section: '二、保障' }), item('1.', '丙', { section: '一、改革' })]);
    expect(d.changed).toEqual([expect.objectContaining({ taskId: 't1', title: '丙' })]);
    expect(d.added).toEqual([]);
    expect(d.removed).toEqual([]);
  });

  it('does not pair by a title two new items share', () => {
    const d = diffPlan([old('t1', item('5.', '加强宣传'))], [item('7.', '加强宣传'), item('8.', '加强宣传')]);
    expect(d.added.map((a) => a.number)).toEqual(['7.', '8.']);
    expect(d.removed.map((r) => r.taskId)).toEqual(['t1']);
  });

  it('does not compare the lead of an item that names none and fans out (the importing bureau coordinates it)', () => {
    const d = diffPlan([old('t1', item('1.', '甲', { leads: [C], fanOut: [X] }))], [item('1.', '甲', { leads: [], fanOut: [X] })]);
    expect(d.changed).toEqual([]);
  });

  it('revises only what is open: a closed task’s differences are listed, not written', () => {
    const d = diffPlan(imported, [item('1.', '建设一网通办'), item('2.', '推进数据共享'), item('3.', '完善考核', { leads: [B] })]);
    expect(d.changed.map((c) => [c.taskId, c.open])).toEqual([['t3', false]]);
    expect(hasDifferences(d)).toBe(true);
    expect(hasDifferences(toRevise(d))).toBe(false);
  });
});
