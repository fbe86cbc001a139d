import ICAL from 'ical.js';
import { type CalendarDay, CalendarError, dateOfDay, dayNumber, type DayKind } from './calendar.js';
import { DAY, ZoneOffsets } from './zone.js';

export interface ImportedDay extends CalendarDay {
  /** What the source calls the day (元旦, 国庆节补班, ...). */
  note?: string;
}

/**
 * A holiday file that cannot be read as it is: `path` names the place (`line 12` of an .ics,
 * `days[3].date` of a JSON document), `message` says what is wrong there, in Chinese first.
 */
export class HolidayFileError extends CalendarError {
  constructor(
    readonly path: string,
    message: string,
    /** The .ics line (1-based) the error is on, when there is one. */
    readonly line?: number,
  ) {
    super(message);
    this.name = 'HolidayFileError';
  }
}

export interface IcsOptions {
  /** The first and last date (YYYY-MM-DD) kept; repeating events are expanded within them only. */
  from?: string;
  to?: string;
  /** The zone that UTC date-times (DTSTART:…Z) are read in; local and TZID times keep their wall-clock date. */
  timezone?: string;
}

/** The longest event read as days off or worked: a holiday week is 8 or 9 days; 60 is surely something else. */
const MAX_EVENT_DAYS = 60;
/** Occurrences of one repeating event kept, and looked at, before the file is refused. */
const MAX_OCCURRENCES = 5_000;
const MAX_STEPS = 100_000;

type Component = InstanceType<typeof ICAL.Component>;
type Time = InstanceType<typeof ICAL.Time>;
type Event = InstanceType<typeof ICAL.Event>;
type Recur = InstanceType<typeof ICAL.Recur>;

const lineError = (line: number, message: string) => new HolidayFileError(`line ${line}`, `第 ${line} 行：${message}`, line);

/**
 * Days off and make-up workdays (调休) of an iCalendar file, read by ical.js. Each event
 * covers every day from DTSTART to DTEND (exclusive) or DTSTART + DURATION; an all-day event
 * with neither covers one day. Repeating events (RRULE, RDATE, EXDATE, RECURRENCE-ID) are
 * expanded between `from` and `to`. Alarms inside an event are not events. What an event
 * marks is decided by what it is (see eventKind), never by its DESCRIPTION. A day that one
 * event makes a workday stays one whatever else falls on it. Days outside [from, to] are dropped.
 * @throws HolidayFileError naming the line for text that is not iCalendar, an event without a
 *   readable DTSTART, an end before its start, an event longer than 60 days, or a repeating
 *   event without an end when no `to` bounds it.
 */
export function parseIcsDays(text: string, options: IcsOptions = {}): ImportedDay[] {
  const index = indexLines(text);
  let roots: Component[];
  try {
    const jcal = ICAL.parse(text) as unknown[];
    roots = (jcal.length > 0 && Array.isArray(jcal[0]) ? jcal : jcal.length > 0 ? [jcal] : []).map((j) => new ICAL.Component(j as unknown[]));
  } catch (err) {
    throw locateParseError(index, err);
  }
  if (index.misnested) throw index.misnested;
  if (roots.length === 0 || roots.some((root) => root.name !== 'vcalendar')) throw lineError(1, '不是 iCalendar 文件：缺少 BEGIN:VCALENDAR');
  const window = { from: options.from ? dayNumber(options.from) : -Infinity, to: options.to ? dayNumber(options.to) : Infinity };
  const zone = new ZoneOffsets(options.timezone ?? 'Asia/Shanghai');
  const components = roots.flatMap((root) => root.getAllSubcomponents('vevent'));
  const lines = new Map(components.map((c, i) => [c, index.events[i] ?? { begin: 1, props: new Map<string, number>() }]));
  const days = new Map<number, ImportedDay>();
  const events = readOr(1, () => relatedEvents(components));
  for (const event of events) {
    const eventLines = lines.get(event.component)!;
    readOr(eventLines.begin, () => markDays(days, event, eventLines, window, zone));
  }
  return [...days.values()].sort((a, b) => a.date.localeCompare(b.date));
}

/** Whatever ical.js cannot make of an event is refused at the event's line, not answered with a 500. */
function readOr<T>(line: number, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof HolidayFileError || !(err instanceof Error)) throw err;
    throw lineError(line, `事件无法读取：${err.message}`);
  }
}

/** Marks the days of an event's occurrences in [from, to]: a workday once marked stays one. */
function markDays(days: Map<number, ImportedDay>, event: Event, lines: EventLines, window: { from: number; to: number }, zone: ZoneOffsets): void {
  for (const occurrence of occurrences(event, lines, window, zone)) {
    if (isCancelled(occurrence.item.component)) continue;
    const kind = eventKind(occurrence.item.component);
    const note = occurrence.item.summary?.trim() || undefined;
    for (const day of coveredDays(occurrence.start, occurrence.end, lines, zone)) {
      if (day < window.from || day > window.to) continue;
      const known = days.get(day);
      if (known && (known.kind === 'workday' || kind === 'holiday')) continue;
      days.set(day, { date: dateOfDay(day), kind, ...(note ? { note } : {}) });
    }
  }
}

// A day is worked when the event says it is work: 补班, 上班, 调休上班, 班 in brackets, 工作日.
const WORK = /补班|上班|调班|工作日|work ?day|working day|^\s*班\s*$/i;
// A summary that names the days off wins over a mention of the make-up day inside it:
// "元旦 假期（1月4日上班）" is the holiday.
const OFF = /假|休息|holiday|day off|^\s*休\s*$/i;
const BRACKET = /[(（]\s*(班|休)\s*[)）]/;

/**
 * What an event marks, by what it is: Apple's X-APPLE-SPECIAL-DAY, then its CATEGORIES, then its
 * SUMMARY ("劳动节(休)", "春节 补班", "调休上班", "国庆节 假期"). An event that says neither is a
 * day off. DESCRIPTION is never read: "劳动节 假期" whose description says "4月27日（周日）上班。"
 * is the holiday, not the make-up workday it mentions.
 */
function eventKind(event: Component): DayKind {
  const special = String(event.getFirstPropertyValue('x-apple-special-day') ?? '').toUpperCase();
  if (special === 'ALTERNATE-WORKDAY') return 'workday';
  if (special === 'WORK-HOLIDAY') return 'holiday';
  const categories = event.getAllProperties('categories').flatMap((p) => p.getValues().map(String));
  if (categories.some((c) => WORK.test(c) && !OFF.test(c))) return 'workday';
  if (categories.some((c) => OFF.test(c))) return 'holiday';
  const summary = String(event.getFirstPropertyValue('summary') ?? '');
  const bracket = BRACKET.exec(summary);
  if (bracket) return bracket[1] === '班' ? 'workday' : 'holiday';
  if (OFF.test(summary)) return 'holiday';
  return WORK.test(summary) ? 'workday' : 'holiday';
}

function isCancelled(event: Component): boolean {
  return String(event.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED';
}

/** Events as ical.js relates them: a RECURRENCE-ID override joins the event of its UID; one without such an event stands alone. */
function relatedEvents(components: Component[]): Event[] {
  const masters = new Map<string, Event>();
  const events: Event[] = [];
  const overrides: Component[] = [];
  for (const c of components) {
    if (c.hasProperty('recurrence-id')) {
      overrides.push(c);
      continue;
    }
    const event = new ICAL.Event(c, { strictExceptions: false });
    events.push(event);
    if (event.uid) masters.set(event.uid, event);
  }
  for (const c of overrides) {
    const master = masters.get(String(c.getFirstPropertyValue('uid') ?? ''));
    if (master) master.relateException(c);
    else events.push(new ICAL.Event(c));
  }
  return events;
}

interface Occurrence {
  start: Time;
  end: Time;
  /** The event the occurrence is: the master, or the override that replaces it. */
  item: Event;
}

/** The event's occurrences that may touch [from, to]: itself, or its repetitions up to `to`. */
function occurrences(event: Event, lines: EventLines, window: { from: number; to: number }, zone: ZoneOffsets): Occurrence[] {
  const start = checkedTime(event.component, 'dtstart', lines);
  if (!start) throw lineError(lines.begin, '事件缺少 DTSTART（开始日期）');
  const end = event.component.hasProperty('dtend') ? checkedTime(event.component, 'dtend', lines)! : readProperty(lines, 'duration', () => event.endDate);
  if (!event.isRecurring()) return [{ start, end, item: event }];
  const rruleLine = lines.props.get('RRULE') ?? lines.props.get('RDATE') ?? lines.begin;
  if (window.to === Infinity && event.component.getAllProperties('rrule').some((p) => !(p.getFirstValue() as Recur).isFinite())) {
    throw lineError(rruleLine, '重复规则（RRULE）没有结束，无法在不指定年份时展开');
  }
  const found: Occurrence[] = [];
  const iterator = readProperty(lines, 'rrule', () => event.iterator());
  for (let step = 0; ; step++) {
    if (found.length > MAX_OCCURRENCES || step > MAX_STEPS) throw lineError(rruleLine, `重复规则（RRULE）展开的次数过多（超过 ${MAX_OCCURRENCES} 次）`);
    const next = readProperty(lines, 'rrule', () => iterator.next());
    if (!next || dayOf(next, zone) > window.to) return found;
    // ical.js's declaration names the type of the answer without exporting it.
    const details = event.getOccurrenceDetails(next) as unknown as { startDate: Time; endDate: Time; item: Event };
    if (dayOf(details.endDate, zone) >= window.from) found.push({ start: details.startDate, end: details.endDate, item: details.item });
  }
}

/** A property's value, or the file refused at that property's line when ical.js cannot read it. */
function readProperty<T>(lines: EventLines, property: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    throw lineError(lines.props.get(property.toUpperCase()) ?? lines.begin, `${property.toUpperCase()} 无法读取：${(err as Error).message}`);
  }
}

const DATE_VALUE = /^(\d{4}-\d{2}-\d{2})(T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?Z?)?$/;

/** DTSTART or DTEND as ical.js reads it, after checking the text is a real date: ical.js would turn 20251340 into 2026-02-09. */
function checkedTime(event: Component, name: 'dtstart' | 'dtend', lines: EventLines): Time | null {
  const property = event.getFirstProperty(name);
  if (!property) return null;
  const line = lines.props.get(name.toUpperCase()) ?? lines.begin;
  const value = (property.toJSON() as unknown[])[3];
  const raw = typeof value === 'string' ? value : '';
  const m = DATE_VALUE.exec(raw);
  try {
    if (!m) throw new CalendarError(`"${raw}" is not a date`);
    dayNumber(m[1]!);
  } catch {
    throw lineError(line, `${name.toUpperCase()} 不是有效的日期（${raw}）`);
  }
  return readProperty(lines, name, () => property.getFirstValue() as Time);
}

/** Local day number of a time: its own wall-clock date, or the date in `zone` for a UTC time. */
function dayOf(time: Time, zone?: ZoneOffsets): number {
  if (zone && time.zone?.tzid === 'UTC') return Math.floor(zone.toLocal(time.toUnixTime() * 1000) / DAY);
  return Date.UTC(time.year, time.month - 1, time.day) / DAY;
}

/** The days an occurrence covers: [start, end) for dates; for times, through the day the end falls in unless it ends at midnight. */
function coveredDays(start: Time, end: Time, lines: EventLines, zone: ZoneOffsets): number[] {
  const first = dayOf(start, zone);
  const endDay = dayOf(end, zone);
  const utcMidnight = () => ((zone.toLocal(end.toUnixTime() * 1000) % DAY) + DAY) % DAY === 0;
  const endsAtMidnight = end.isDate || (end.zone?.tzid === 'UTC' ? utcMidnight() : end.hour + end.minute + end.second === 0);
  let last = endsAtMidnight ? endDay - 1 : endDay;
  if (end.compare(start) < 0) throw lineError(lines.props.get('DTEND') ?? lines.props.get('DURATION') ?? lines.begin, '事件的结束早于开始');
  // DTEND equal to DTSTART (written by some exporters for a one-day event) is that one day.
  if (last < first) last = first;
  if (last - first + 1 > MAX_EVENT_DAYS) throw lineError(lines.begin, `事件长达 ${last - first + 1} 天，超过 ${MAX_EVENT_DAYS} 天，不像节假日安排`);
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

interface EventLines {
  /** The line of the event's BEGIN:VEVENT. */
  begin: number;
  /** Its own properties (not its alarms') by upper-case name, at their first line. */
  props: Map<string, number>;
}

interface LineIndex {
  /** Content lines (folded lines joined, RFC 5545 §3.1) with the line each starts on, 1-based. */
  lines: { text: string; line: number }[];
  /** The events of the calendars, in file order: the order in which ical.js lists them. */
  events: EventLines[];
  /** The first END that closes what was not begun, or the BEGIN never ended: ical.js lets the first pass. */
  misnested?: HolidayFileError;
}

/**
 * Where things are in the file, so that an error can name its line: ical.js parses, but keeps
 * no line numbers.
 */
function indexLines(text: string): LineIndex {
  const lines: LineIndex['lines'] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const last = lines[lines.length - 1];
    if ((raw.startsWith(' ') || raw.startsWith('\t')) && last) last.text += raw.slice(1);
    else if (raw.trim() !== '') lines.push({ text: raw, line: i + 1 });
  });
  const events: EventLines[] = [];
  const open: { name: string; line: number; event?: EventLines }[] = [];
  let misnested: HolidayFileError | undefined;
  for (const { text: content, line } of lines) {
    const name = /^[^;:]*/.exec(content)![0].trim().toUpperCase();
    const value = content
      .slice(content.indexOf(':') + 1)
      .trim()
      .toUpperCase();
    const parent = open[open.length - 1];
    if (name === 'BEGIN') {
      // Only the events ical.js lists: those directly inside a VCALENDAR.
      const event = value === 'VEVENT' && parent?.name === 'VCALENDAR' ? { begin: line, props: new Map<string, number>() } : undefined;
      if (event) events.push(event);
      open.push({ name: value, line, event });
    } else if (name === 'END') {
      const top = open.pop();
      // END:VCALENDAR under an open VEVENT: the VEVENT was never ended; END:VEVENT with none open was never begun.
      if (top && top.name !== value && open.some((o) => o.name === value)) misnested ??= lineError(top.line, `BEGIN:${top.name} 没有对应的 END:${top.name}`);
      else if (top?.name !== value) misnested ??= lineError(line, `END:${value} 没有对应的 BEGIN:${value}`);
    } else if (parent?.event && !parent.event.props.has(name)) {
      parent.event.props.set(name, line);
    }
  }
  const unclosed = open.pop();
  if (unclosed) misnested ??= lineError(unclosed.line, `BEGIN:${unclosed.name} 没有对应的 END:${unclosed.name}`);
  return { lines, events, misnested };
}

/** The line an ical.js parse error is on: the first content line it cannot read, else the first misnesting. */
function locateParseError(index: LineIndex, err: unknown): HolidayFileError {
  if (!(err instanceof Error)) throw err;
  for (const { text, line } of index.lines) {
    if (/^(BEGIN|END):/i.test(text)) continue;
    if (index.misnested?.line !== undefined && line > index.misnested.line) break;
    try {
      ICAL.parse.property(text);
    } catch (e) {
      return lineError(line, `无法解析：${(e as Error).message}`);
    }
  }
  return index.misnested ?? lineError(1, `无法解析：${err.message}`);
}
