import { DomainError } from '@duban/http';

export class CalendarNotFoundError extends DomainError {
  readonly status = 404;
  readonly slug = 'calendar-not-found';
  readonly title = 'Calendar not found';
  constructor(key: string) {
    super(`There is no calendar "${key}".`);
  }
}

export class CalendarDayNotFoundError extends DomainError {
  readonly status = 404;
  readonly slug = 'calendar-day-not-found';
  readonly title = 'Calendar day not found';
  constructor(key: string, date: string) {
    super(`Calendar "${key}" has no exception on ${date}.`);
  }
}

export class CalendarExistsError extends DomainError {
  readonly status = 409;
  readonly slug = 'calendar-exists';
  readonly title = 'Calendar exists';
  constructor(key: string) {
    super(`A calendar "${key}" already exists.`);
  }
}
