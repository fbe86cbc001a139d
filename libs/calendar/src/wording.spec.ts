import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { BusinessCalendar } from './calendar.js';
import { type ChineseDaysData, fromChineseDays } from './chinese-days.js';
import { dateInWords, momentInWords, timeLeft } from './wording.js';

const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as ChineseDaysData;
const cn = new BusinessCalendar({ timezone: 'Asia/Shanghai', days: fromChineseDays(data) });
const bj = (local: string) => new Date(`${local}+08:00`);

describe('dates in words', () => {
  it('names the year and reads the instant in the calendar zone (UTC 16:00 on 31 Dec is 1 Jan in Beijing)', () => {
    expect(dateInWords(bj('2023-12-31T17:00:00'), 'Asia/Shanghai')).toBe('2023年12月31日');
    expect(momentInWords(new Date('2023-12-31T16:00:00Z'), 'Asia/Shanghai')).toBe('2024年1月1日 00:00');
    expect(momentInWords(bj('2025-10-09T09:05:00'), 'Asia/Shanghai')).toBe('2025年10月9日 09:05');
  });
});

describe('time left in working time', () => {
  it('counts working days across the National Day holiday (30 Sep 2025 to the make-up Saturday 11 Oct)', () => {
    // 30 Sep 17:30 → 11 Oct 17:30: 9 and 10 Oct and the 调休 Saturday 11 Oct are working days.
    expect(timeLeft(bj('2025-10-11T17:30:00'), bj('2025-09-30T17:30:00'), cn)).toMatchObject({ overdue: false, workingDays: 3, words: '剩余 3 个工作日' });
  });

  it('says overdue in working days, the weekend not counted', () => {
    expect(timeLeft(bj('2025-11-14T17:30:00'), bj('2025-11-19T17:30:00'), cn)).toMatchObject({ overdue: true, workingDays: 3, words: '已逾期 3 个工作日' });
  });

  it('falls back to working hours, then minutes, under a day', () => {
    expect(timeLeft(bj('2025-11-18T17:30:00'), bj('2025-11-18T14:30:00'), cn).words).toBe('剩余 3 个工作小时');
    expect(timeLeft(bj('2025-11-18T17:30:00'), bj('2025-11-18T17:10:00'), cn).words).toBe('剩余 20 个工作分钟');
  });

  it('a deadline passed on Friday evening is overdue on Saturday, though no working time has passed', () => {
    expect(timeLeft(bj('2025-11-14T17:30:00'), bj('2025-11-15T10:00:00'), cn)).toMatchObject({ overdue: true, words: '已逾期不足 1 个工作分钟' });
  });

  it('property: overdue exactly when now is past the due date, and the sign of workingMs agrees', () => {
    const instant = fc.integer({ min: Date.parse('2025-01-01T00:00:00Z'), max: Date.parse('2026-12-31T00:00:00Z') }).map((t) => new Date(t));
    fc.assert(
      fc.property(instant, instant, (due, now) => {
        const left = timeLeft(due, now, cn);
        expect(left.overdue).toBe(now.getTime() > due.getTime());
        expect(left.overdue ? left.workingMs <= 0 : left.workingMs >= 0).toBe(true);
        expect(left.words.startsWith(left.overdue ? '已逾期' : '剩余')).toBe(true);
      }),
    );
  });
});
