import type { ImportedDay } from './ics.js';

/** The shape of the `chinese-days` package's data file (dist/chinese-days.json). */
export interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

/** Its entries read "English name,中文名,length"; the Chinese name becomes the day's note. */
export function fromChineseDays(data: ChineseDaysData): ImportedDay[] {
  const note = (entry: string) => entry.split(',')[1] ?? entry;
  const days: ImportedDay[] = [
    ...Object.entries(data.holidays).map(([date, entry]) => ({ date, kind: 'holiday' as const, note: note(entry) })),
    ...Object.entries(data.workdays).map(([date, entry]) => ({ date, kind: 'workday' as const, note: `${note(entry)}补班` })),
  ];
  return days.sort((a, b) => a.date.localeCompare(b.date));
}
