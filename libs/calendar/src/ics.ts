import { type CalendarDay, CalendarError, dateOfDay, dayNumber } from './calendar.js';

export interface ImportedDay extends CalendarDay {
  /** What the source calls the day (元旦, 国庆节补班, ...). */
  note?: string;
}

/** Lines of an iCalendar text with folded continuation lines joined (RFC 5545 §3.1). */
function unfold(text: string): string[] {
  return text
    .replace(/\r\n/g, '\n')
    .replace(/\n[ \t]/g, '')
    .split('\n');
}

function icsDate(value: string, line: number): number {
  const m = /^(\d{4})(\d{2})(\d{2})/.exec(value.trim());
  if (!m) throw new CalendarError(`line ${line}: "${value}" is not an iCalendar date`);
  return dayNumber(`${m[1]}-${m[2]}-${m[3]}`);
}

/**
 * Days off and make-up workdays from an .ics file as published holiday calendars write them:
 * all-day events whose summary or description says 班 (a worked day: 补班, 上班) are workdays,
 * every other event marks days off. Multi-day events (DTEND exclusive) cover each day.
 */
export function parseIcsDays(text: string): ImportedDay[] {
  const lines = unfold(text);
  if (!lines.some((l) => l.trim() === 'BEGIN:VCALENDAR')) throw new CalendarError('not an iCalendar file: no BEGIN:VCALENDAR');
  const days = new Map<number, ImportedDay>();
  let event: { start?: number; end?: number; summary?: string; description?: string; line: number } | null = null;
  lines.forEach((raw, index) => {
    const line = raw.trim();
    const lineNo = index + 1;
    if (line === 'BEGIN:VEVENT') {
      event = { line: lineNo };
      return;
    }
    if (!event) return;
    const colon = line.indexOf(':');
    const name = (colon < 0 ? line : line.slice(0, colon)).split(';')[0]!.toUpperCase();
    const value = colon < 0 ? '' : line.slice(colon + 1);
    if (name === 'DTSTART') event.start = icsDate(value, lineNo);
    else if (name === 'DTEND') event.end = icsDate(value, lineNo);
    else if (name === 'SUMMARY') event.summary = value.replace(/\\,/g, ',').trim();
    else if (name === 'DESCRIPTION') event.description = value.replace(/\\,/g, ',').trim();
    else if (line === 'END:VEVENT') {
      const e: { start?: number; end?: number; summary?: string; description?: string; line: number } = event;
      event = null;
      if (e.start === undefined) throw new CalendarError(`event at line ${e.line} has no DTSTART`);
      const end = e.end ?? e.start + 1;
      if (end - e.start > 60) throw new CalendarError(`event at line ${e.line} spans more than 60 days`);
      const label = `${e.summary ?? ''} ${e.description ?? ''}`;
      const kind = /班|workday/i.test(label) ? 'workday' : 'holiday';
      for (let day = e.start; day < Math.max(end, e.start + 1); day++) {
        days.set(day, { date: dateOfDay(day), kind, ...(e.summary ? { note: e.summary } : {}) });
      }
    }
  });
  return [...days.values()].sort((a, b) => a.date.localeCompare(b.date));
}
