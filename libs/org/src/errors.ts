import { DomainError } from '@duban/http';

export class NotFoundError extends DomainError {
  readonly status = 404;
  readonly slug = 'not-found';
  readonly title = 'Not Found';
}

export class ConflictError extends DomainError {
  readonly status = 409;
  readonly slug = 'conflict';
  readonly title = 'Conflict';
}

/** PostgreSQL's unique-violation and foreign-key-violation codes. */
export const PG_UNIQUE = '23505';
export const PG_FOREIGN_KEY = '23503';

export function pgCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown; driverError?: { code?: unknown } })?.driverError?.code ?? (err as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}
