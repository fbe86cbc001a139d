/** The year view of a calendar: its months as weeks of days, each day as the calendar counts it. */

export type DayKind = 'holiday' | 'workday';

/** How a day counts: a holiday (放假), a make-up workday (调休上班), or as its weekday says. */
export type DayLook = 'holiday' | 'makeup' | 'weekend' | 'weekday';

export interface YearDay {
  /** YYYY-MM-DD. */
  date: string;
  day: number;
  /** 0 Monday … 6 Sunday (the week starts on Monday, as in Chinese calendars). */
  weekday: number;
  look: DayLook;
  /** The name the schedule gives the day (春节, 国庆节 补班), if any. */
  note: string | null;
  /** Whether the day carries a setting (an exception) of the calendar. */
  set: boolean;
}

export const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];

/** Words and colours of each look: the word is always shown with the colour, never the colour alone. */
export const LOOKS: Record<DayLook, { word: string; mark: string; color: string; background: string; border: string }> = {
  holiday: { word: '放假', mark: '休', color: '#a8071a', background: '#fff1f0', border: '#ffa39e' },
  makeup: { word: '调休上班', mark: '班', color: '#0958d9', background: '#e6f4ff', border: '#91caff' },
  weekend: { word: '周末', mark: '', color: '#595959', background: '#f5f5f5', border: '#f0f0f0' },
  weekday: { word: '工作日', mark: '', color: '#262626', background: '#ffffff', border: '#f0f0f0' },
};

const pad = (n: number) => String(n).padStart(2, '0');

/** The twelve months of `year`, each a list of weeks (Monday first) padded with nulls. */
export function yearMonths(year: number, days: readonly { date: string; kind: DayKind; note: string | null }[]): (YearDay | null)[][][] {
  const byDate = new Map(days.map((d) => [d.date, d]));
  return Array.from({ length: 12 }, (_, m) => {
    const count = new Date(Date.UTC(year, m + 1, 0)).getUTCDate();
    const lead = (new Date(Date.UTC(year, m, 1)).getUTCDay() + 6) % 7;
    const cells: (YearDay | null)[] = Array.from({ length: lead }, () => null);
    for (let d = 1; d <= count; d++) {
      const date = `${year}-${pad(m + 1)}-${pad(d)}`;
      const weekday = (lead + d - 1) % 7;
      const set = byDate.get(date);
      const look: DayLook = set ? (set.kind === 'holiday' ? 'holiday' : 'makeup') : weekday >= 5 ? 'weekend' : 'weekday';
      cells.push({ date, day: d, weekday, look, note: set?.note ?? null, set: set !== undefined });
    }
    while (cells.length % 7 !== 0) cells.push(null);
    return Array.from({ length: cells.length / 7 }, (_, w) => cells.slice(w * 7, w * 7 + 7));
  });
}

/** `2027年2月20日 星期六`. */
export function dayWords(day: YearDay): string {
  const [y, m, d] = day.date.split('-').map(Number);
  return `${y}年${m}月${d}日 星期${WEEKDAYS[day.weekday]}`;
}

/** What a click on the day does: a set day goes back to its weekday's rule; a weekday becomes a day off, a weekend day a make-up workday. */
export function toggled(day: YearDay): DayKind | null {
  if (day.set) return null;
  return day.weekday >= 5 ? 'workday' : 'holiday';
}

/** A month's named days, consecutive days of the same kind and name taken together: `10月1日–7日 国庆节 假期`. */
export function namedRuns(month: readonly (YearDay | null)[][]): { from: YearDay; to: YearDay }[] {
  const runs: { from: YearDay; to: YearDay }[] = [];
  for (const day of month.flat()) {
    if (!day || !day.set) continue;
    const last = runs.at(-1);
    if (last && last.to.day === day.day - 1 && last.to.look === day.look && last.to.note === day.note) last.to = day;
    else runs.push({ from: day, to: day });
  }
  return runs;
}
