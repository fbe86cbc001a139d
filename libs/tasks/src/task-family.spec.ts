import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';
import { BusinessCalendar, type ChineseDaysData, fromChineseDays } from '@duban/calendar';
import { childrenSummary, type OpenChildRow } from './task-family.js';

const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as ChineseDaysData;
const cn = new BusinessCalendar({ timezone: 'Asia/Shanghai', days: fromChineseDays(data) });
const bj = (local: string) => new Date(`${local}+08:00`);
const clockOf = () => cn;

/** A town's open share of an item, created Monday 13 October 2025 09:00. */
const share = (dueAt: string, rest: Partial<OpenChildRow> = {}): OpenChildRow => ({
  workflow_key: 'plan-item',
  workflow_version: 1,
  created_at: bj('2025-10-13T09:00:00'),
  due_at: bj(dueAt),
  paused_since: null,
  card: null,
  paused_working_ms: 0,
  ...rest,
});

describe('a parent’s children at a glance', () => {
  // Friday 17 October 10:00.
  const now = bj('2025-10-17T10:00:00');

  it('counts the open children’s lights on their calendars, and the mean progress in whole percent', () => {
    const summary = childrenSummary(
      {
        total: 4,
        progress: 57.5,
        open: [
          share('2025-12-31T17:30:00'), // months ahead: green
          share('2025-10-20T09:00:00'), // Monday 09:00: less than a fifth of 5 working days left: yellow
          share('2025-10-16T17:30:00'), // yesterday: overdue, red
        ],
      },
      now,
      clockOf,
    );
    expect(summary).toEqual({ total: 4, open: 3, green: 1, yellow: 1, red: 1, progress: 58 });
  });

  it('shows a red card given by hand, whatever the time left', () => {
    expect(childrenSummary({ total: 1, progress: 0, open: [share('2025-12-31T17:30:00', { card: 'red' })] }, now, clockOf)).toMatchObject({ red: 1, green: 0 });
  });

  it('has no lights once every child is closed, and their progress is complete', () => {
    expect(childrenSummary({ total: 2, progress: 100, open: [] }, now, clockOf)).toEqual({ total: 2, open: 0, green: 0, yellow: 0, red: 0, progress: 100 });
  });

  it('has no progress without children', () => {
    expect(childrenSummary(undefined, now, clockOf)).toEqual({ total: 0, open: 0, green: 0, yellow: 0, red: 0, progress: null });
  });
});
