import { describe, expect, it } from '@jest/globals';
import { message } from './messages.js';

const base = { taskTitle: '推进农业数据共享', taskRef: 'DB-00000042', timezone: 'Asia/Shanghai', actorName: '系统管理员' } as const;

describe('notices of a revised plan', () => {
  it('tells the owners their task was withdrawn, why, and that nothing is left to do', () => {
    expect(message({ ...base, kind: 'withdrawn', comment: '计划《某市2026年数据工作要点》修订：删除事项3．推进农业数据共享' })).toEqual({
      title: '【撤销】推进农业数据共享',
      body: '系统管理员撤销了任务“推进农业数据共享”（DB-00000042）：计划《某市2026年数据工作要点》修订：删除事项3．推进农业数据共享。任务已结束，无需再办理。',
    });
  });

  it('tells the owners what the revision changed and the due date now in force', () => {
    const text = message({
      ...base,
      kind: 'revised',
      comment: '计划《某市2026年数据工作要点》修订：事项2．完成时限：2026年12月31日 → 2026年12月20日',
      dueAt: new Date('2026-12-20T23:59:59.999+08:00'),
      now: new Date('2026-11-30T10:00:00+08:00'),
    });
    expect(text.title).toBe('【计划修订】推进农业数据共享');
    expect(text.body).toBe(
      '系统管理员修订了任务“推进农业数据共享”（DB-00000042）：计划《某市2026年数据工作要点》修订：事项2．完成时限：2026年12月31日 → 2026年12月20日。' +
        '任务将于2026年12月20日 23:59到期，请按修订后的要求办理。',
    );
  });
});
