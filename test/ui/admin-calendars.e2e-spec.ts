import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { testClock, type TestClock } from '../support/clock.js';
import { login } from '../support/org-fixture.js';
import { DEMO_PASSWORD, startStack, type Stack, stopStack } from '../support/stack.js';
import { DESK, inspect, openContext, PHONE, scrollWidth, signIn, type Troubles } from './browser.js';

/** 30 November 2026 in Beijing: the seeded calendar has 2004–2026, and 2027 is awaited since 1 November. */
const NOW = '2026-11-30T10:00:00+08:00';
/** A step's time limit: axe over a year of day buttons takes a while on a busy machine. */
const SLOW = 180_000;
/**
 * Every month of the year page after the first: the same day buttons and lists, which axe checks
 * in full once (admin-calendar) and in the first month on the page's other looks.
 */
const LATER_MONTHS = '.ant-col:has(button[data-date]) ~ .ant-col:has(button[data-date])';

/** The browser's getComputedStyle, which the test's Node types do not declare. */
type Styled = { getComputedStyle(element: unknown): { backgroundColor: string } };

/** An all-day event of an .ics file, [start, end) as YYYYMMDD. */
const event = (start: string, end: string, summary: string) => [
  'BEGIN:VEVENT',
  `UID:${start}-${summary}@test`,
  'DTSTAMP:20261115T000000Z',
  `DTSTART;VALUE=DATE:${start}`,
  `DTEND;VALUE=DATE:${end}`,
  `SUMMARY:${summary}`,
  'END:VEVENT',
];
/** 2027's days off and the make-up Saturday of 春节 (20 February), as a holiday-calendar site publishes them. */
const ICS_2027 = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//test//中国节假日//CN',
  ...event('20270101', '20270104', '元旦 假期'),
  ...event('20270206', '20270215', '春节 假期'),
  ...event('20270220', '20270221', '春节 补班'),
  'END:VCALENDAR',
  '',
].join('\r\n');

/**
 * Issue 18 point 2 through the browser only: an admin finds the calendars, is warned that 2027
 * has no schedule, imports 2027 from an .ics file through the page's file input after a preview,
 * sees 春节 coloured and named and its make-up Saturday coloured as a workday, is asked before a day
 * changes (a reset names what it removes) and toggles a day by a confirmed click (the api agrees);
 * desk and phone, no 5xx, no script error, no serious axe violation.
 */
describe('web console: calendars (browser)', () => {
  let stack: Stack;
  let clock: TestClock;
  const troubles: Troubles = { serverErrors: [], consoleErrors: [], violations: [] };
  const closers: (() => Promise<void>)[] = [];
  let admin: Page;

  const open = async (viewport: typeof DESK) => {
    const { context, close } = await openContext(viewport, troubles);
    closers.push(close);
    await context.clock.setFixedTime(new Date(NOW));
    return context.newPage();
  };
  const day = (page: Page, date: string) => page.locator(`button[data-date="${date}"]`);
  const apiDays = async () => {
    const token = await login(stack.api.url, 'admin', DEMO_PASSWORD);
    return (await request(stack.api.url).get('/api/v1/calendars/cn').query({ year: 2027 }).set('Authorization', token).expect(200)).body.days as {
      date: string;
      kind: string;
      note: string | null;
    }[];
  };

  beforeAll(async () => {
    clock = await testClock();
    stack = await startStack(clock.env);
    await clock.stopAt(NOW);
  }, 180_000);

  afterAll(async () => {
    for (const close of closers) await close().catch(() => undefined);
    await stopStack(stack);
  }, SLOW);

  it(
    'lists the calendars from 系统管理, each with its years, and warns that cn lacks 2027',
    async () => {
      admin = await open(DESK);
      await admin.goto(`${stack.api.url}/login`);
      await signIn(admin, 'admin', DEMO_PASSWORD);
      await admin.goto(`${stack.api.url}/admin`);
      await admin.getByRole('link', { name: '工作日历' }).click();
      await admin.waitForURL(/\/admin\/calendars$/);
      await admin.getByText('2004–2026年').waitFor();
      await admin.getByText('缺2027年安排').waitFor();
      await inspect(admin, 'admin-calendars', troubles);
    },
    SLOW,
  );

  it(
    'the calendar warns on its page that next year has no schedule',
    async () => {
      await admin.getByRole('link', { name: '中国工作日历（国务院节假日安排）' }).click();
      await admin.waitForURL(/\/admin\/calendars\/cn/);
      await admin.getByRole('alert').filter({ hasText: '尚无下一年度（2027年）的节假日安排' }).waitFor();
      await admin.getByRole('heading', { name: '2026年', exact: true }).waitFor();
      // 国庆节 2026 from the seeded schedule: coloured and named.
      expect(await day(admin, '2026-10-01').getAttribute('aria-label')).toMatch(/^2026年10月1日 星期四 放假：国庆节/);
    },
    SLOW,
  );

  it(
    'imports 2027 from an .ics file after a preview of what changes',
    async () => {
      await admin.getByRole('button', { name: '下一年' }).click();
      await admin.getByRole('heading', { name: '2027年', exact: true }).waitFor();
      await admin.getByText('尚无2027年节假日安排').waitFor();
      expect(await day(admin, '2027-02-20').getAttribute('data-look')).toBe('weekend');
      await admin.getByRole('button', { name: '导入节假日安排' }).click();
      const dialog = admin.getByRole('dialog', { name: '导入节假日安排' });
      await dialog.waitFor();
      expect(await dialog.getByLabel('年度').inputValue()).toBe('2027');
      await dialog.locator('input[type="file"]').setInputFiles({ name: 'holidays-2027.ics', mimeType: 'text/calendar', buffer: Buffer.from(ICS_2027) });
      await dialog.getByText('预览：2027年共 13 天安排；新增 13 天，变更 0 天，移除 0 天，保留 0 天。尚未保存。').waitFor();
      await dialog.getByRole('row', { name: '2027年1月1日 新增 放假（元旦 假期）' }).waitFor();
      await inspect(admin, 'admin-calendar-import-preview', troubles, [LATER_MONTHS]);
      expect(await apiDays()).toEqual([]);
      await dialog.getByRole('button', { name: '保存' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await admin.getByText('已导入2027年节假日安排，共 13 天').waitFor();
      expect(await apiDays()).toHaveLength(13);
    },
    SLOW,
  );

  it(
    'shows the make-up Saturday coloured as a workday and 春节 coloured and named; the warning is gone',
    async () => {
      const makeup = day(admin, '2027-02-20');
      await admin.getByText('已导入2027年节假日安排', { exact: true }).waitFor();
      expect(await makeup.getAttribute('data-look')).toBe('makeup');
      expect(await makeup.getAttribute('aria-label')).toBe('2027年2月20日 星期六 调休上班：春节 补班');
      expect(await makeup.textContent()).toBe('20班');
      const holiday = day(admin, '2027-02-08');
      expect(await holiday.getAttribute('aria-label')).toBe('2027年2月8日 星期一 放假：春节 假期');
      expect(await holiday.textContent()).toBe('8休');
      // The colours of the legend: blue for a make-up workday, red for a day off, grey for a weekend.
      const colour = (l: ReturnType<typeof day>) => l.evaluate((e) => (globalThis as unknown as Styled).getComputedStyle(e).backgroundColor);
      expect(await colour(makeup)).toBe('rgb(230, 244, 255)');
      expect(await colour(holiday)).toBe('rgb(255, 241, 240)');
      expect(await colour(day(admin, '2027-02-27'))).toBe('rgb(245, 245, 245)');
      await admin.getByRole('listitem').filter({ hasText: '2月6日–14日 春节 假期' }).waitFor();
      await admin.getByRole('listitem').filter({ hasText: '2月20日 春节 补班' }).waitFor();
      expect(await admin.getByText('尚无下一年度（2027年）的节假日安排').count()).toBe(0);
      await inspect(admin, 'admin-calendar', troubles);
    },
    SLOW,
  );

  it(
    'a click on a named day asks first, naming what a reset removes; cancelled, the day and the api stay as they were',
    async () => {
      await day(admin, '2027-02-20').click();
      const confirm = admin.getByRole('dialog').filter({ hasText: '将2027年2月20日 星期六恢复为周末？' });
      await confirm.getByText('将删除此日的设置：调休上班（春节 补班）。').waitFor();
      await inspect(admin, 'admin-calendar-confirm', troubles, [LATER_MONTHS]);
      await confirm.getByRole('button', { name: '取消' }).click();
      await confirm.waitFor({ state: 'detached' });
      expect(await day(admin, '2027-02-20').getAttribute('data-look')).toBe('makeup');
      expect(await apiDays()).toContainEqual({ date: '2027-02-20', kind: 'workday', note: '春节 补班' });
    },
    SLOW,
  );

  it(
    'a click makes a weekday a day off once confirmed, another gives it back, and the api agrees each time',
    async () => {
      const wednesday = day(admin, '2027-03-10');
      expect(await wednesday.getAttribute('data-look')).toBe('weekday');
      await wednesday.click();
      const confirm = admin.getByRole('dialog');
      await confirm.filter({ hasText: '将2027年3月10日 星期三设为放假？' }).getByRole('button', { name: '确定' }).click();
      await admin.getByText('2027年3月10日 星期三已设为放假').waitFor();
      await admin.waitForSelector('button[data-date="2027-03-10"][data-look="holiday"]');
      expect(await apiDays()).toContainEqual({ date: '2027-03-10', kind: 'holiday', note: null });
      await wednesday.click();
      await confirm.filter({ hasText: '将2027年3月10日 星期三恢复为工作日？' }).getByRole('button', { name: '确定' }).click();
      await admin.getByText('2027年3月10日 星期三已恢复原状').waitFor();
      await admin.waitForSelector('button[data-date="2027-03-10"][data-look="weekday"]');
      expect((await apiDays()).map((d) => d.date)).not.toContain('2027-03-10');
    },
    SLOW,
  );

  it(
    'on a phone: the list and the year without sideways scrolling',
    async () => {
      const phone = await open(PHONE);
      await phone.goto(`${stack.api.url}/login`);
      await signIn(phone, 'admin', DEMO_PASSWORD);
      await phone.goto(`${stack.api.url}/admin/calendars`);
      await phone.getByText('2004–2027年').waitFor();
      expect(await scrollWidth(phone)).toBeLessThanOrEqual(PHONE.width);
      await inspect(phone, 'admin-calendars-phone', troubles);
      await phone.goto(`${stack.api.url}/admin/calendars/cn?year=2027`);
      await day(phone, '2027-02-20').waitFor();
      expect(await scrollWidth(phone)).toBeLessThanOrEqual(PHONE.width);
      await inspect(phone, 'admin-calendar-phone', troubles, [LATER_MONTHS]);
    },
    SLOW,
  );

  it('no 5xx, no script error, no serious accessibility violation', () => {
    expect(troubles.serverErrors).toEqual([]);
    expect(troubles.consoleErrors).toEqual([]);
    expect(troubles.violations).toEqual([]);
  });
});
