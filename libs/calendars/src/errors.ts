import { DomainError } from '@duban/http';

export class CalendarNotFoundError extends DomainError.of(404, 'calendar-not-found', 'Calendar not found') {
  constructor(key: string) {
    super(`There is no calendar "${key}".`);
  }
}

export class CalendarDayNotFoundError extends DomainError.of(404, 'calendar-day-not-found', 'Calendar day not found') {
  constructor(key: string, date: string) {
    super(`Calendar "${key}" has no exception on ${date}.`);
  }
}

export class CalendarExistsError extends DomainError.of(409, 'calendar-exists', 'Calendar exists') {
  constructor(key: string) {
    super(`A calendar "${key}" already exists.`);
  }
}

/** A holiday file (.ics, holiday-cn JSON, list of days) that cannot be read: 400 naming the line or entry. */
export class HolidayFileInvalidError extends DomainError.of(400, 'holiday-file', 'Bad holiday file') {
  constructor(path: string, message: string, line?: number) {
    super(message);
    this.extensions.errors = [{ path, message }];
    if (line !== undefined) this.extensions.line = line;
  }
}
