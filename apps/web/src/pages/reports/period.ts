import dayjs, { type Dayjs } from 'dayjs';
import type { Period } from '../../hooks/reports';

/** The bureaus' zone: the api reads date-only periods as local dates there (API.md "Reports"). */
const ZONE = 'Asia/Shanghai';

const localDate = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** The local date (YYYY-MM-DD) in Asia/Shanghai of an instant, whatever the browser's zone. */
export function localDateIn(instant: string | Date): string {
  return localDate.format(new Date(instant));
}

/** This month as the range picker shows it: its first and last day, in Asia/Shanghai. */
export function thisMonth(now = new Date()): [Dayjs, Dayjs] {
  const first = dayjs(localDateIn(now)).startOf('month');
  return [first, first.endOf('month').startOf('day')];
}

/** The picked days as the api's period: local dates, both days included (a date-only `to` is that whole day). */
export function periodOf([first, last]: [Dayjs, Dayjs]): Period {
  return { from: first.format('YYYY-MM-DD'), to: last.format('YYYY-MM-DD') };
}

/** A stored period [from, to) of instants as the days it covers in Asia/Shanghai, both included. */
export function daysOf(from: string, to: string): [Dayjs, Dayjs] {
  return [dayjs(localDateIn(from)), dayjs(localDateIn(new Date(new Date(to).getTime() - 1)))];
}

/** A rate 0–1 as a percent with one decimal (93.5%), or — when nothing was counted. */
export function percentText(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1)}%`;
}
