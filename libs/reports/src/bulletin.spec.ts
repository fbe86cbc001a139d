import { describe, expect, it } from '@jest/globals';
import { bulletinWithin, type StoredBulletin } from './bulletin.js';

const row = (rank: number, name: string) => [rank, name, 3, 2, '50.00%'];
const stored: StoredBulletin = {
  title: '2025年10月督办事项办理情况通报',
  from: '2025-09-30T16:00:00.000Z',
  to: '2025-10-31T16:00:00.000Z',
  columns: ['排名', '单位', '受理量', '办结量', '按时办结率'],
  rows: [row(1, '数据资源科'), row(2, '政务服务科'), row(3, '市农业农村局')],
  departmentIds: ['d-o1', 'd-o2', 'd-f'],
};

describe('a stored bulletin as a reader may see it', () => {
  it('keeps every row for a reader of all departments, and never shows the departmentIds it is stored with', () => {
    const { departmentIds: _ids, ...published } = stored;
    expect(bulletinWithin(stored, null)).toEqual(published);
  });

  it('keeps only the rows of the departments the reader may read, with their published ranks', () => {
    expect(bulletinWithin(stored, { ids: ['d-f', 'd-o1'], names: [] }).rows).toEqual([row(1, '数据资源科'), row(3, '市农业农村局')]);
    // By id, not by today's name: a department renamed since is still its own row.
    expect(bulletinWithin(stored, { ids: ['d-o2'], names: ['政务服务科（新）'] }).rows).toEqual([row(2, '政务服务科')]);
    expect(bulletinWithin(stored, { ids: [], names: [] }).rows).toEqual([]);
  });

  it('matches an older bulletin, stored without departmentIds, by the departments’ names', () => {
    const { departmentIds: _ids, ...older } = stored;
    expect(bulletinWithin(older, { ids: ['d-o2'], names: ['政务服务科'] }).rows).toEqual([row(2, '政务服务科')]);
  });
});
