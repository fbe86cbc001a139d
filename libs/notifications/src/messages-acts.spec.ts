import { describe, expect, it } from '@jest/globals';
import { message } from './messages.js';

const base = { taskTitle: '关于推进政务数据共享的工作', taskRef: 'DB-00000042', timezone: 'Asia/Shanghai', actorName: '王督查' } as const;
const due = new Date('2023-12-31T17:30:00+08:00');

describe('notices of built-in acts', () => {
  it('words an urge with the due date and its year, the working days left and the comment', () => {
    expect(message({ ...base, kind: 'urged', dueAt: due, timeLeft: '剩余 2 个工作日', overdue: false, comment: '请于本周内办结' })).toEqual({
      title: '【催办】关于推进政务数据共享的工作（DB-00000042）将于2023年12月31日 17:30到期，剩余 2 个工作日',
      body: '王督查催办任务“关于推进政务数据共享的工作”（DB-00000042），办理期限2023年12月31日 17:30（剩余 2 个工作日）。催办意见：请于本周内办结',
    });
  });

  it('says an overdue task was due, and how long ago in working days', () => {
    const text = message({ ...base, kind: 'urged', dueAt: due, timeLeft: '已逾期 3 个工作日', overdue: true, comment: '立即办理' });
    expect(text.title).toBe('【催办】关于推进政务数据共享的工作（DB-00000042）已于2023年12月31日 17:30到期，已逾期 3 个工作日');
  });

  it('urges a task without a due date without inventing one', () => {
    expect(message({ ...base, kind: 'urged', comment: '请反馈进展' })).toEqual({
      title: '【催办】关于推进政务数据共享的工作（DB-00000042）',
      body: '王督查催办任务“关于推进政务数据共享的工作”（DB-00000042）。催办意见：请反馈进展',
    });
  });

  it('words a card by hand with its colour and the reason', () => {
    expect(message({ ...base, kind: 'carded', card: 'red', dueAt: due, timeLeft: '已逾期 1 个工作日', overdue: true, comment: '多次催办未果' })).toEqual({
      title: '【亮牌】关于推进政务数据共享的工作（DB-00000042）被亮红牌，已于2023年12月31日 17:30到期，已逾期 1 个工作日',
      body: '王督查对任务“关于推进政务数据共享的工作”（DB-00000042）亮红牌，办理期限2023年12月31日 17:30（已逾期 1 个工作日）。亮牌理由：多次催办未果',
    });
  });
});
