/** PostgreSQL error codes the services turn into domain errors. */
export const PG_UNIQUE = '23505';
export const PG_FOREIGN_KEY = '23503';
/** Class 22: a value PostgreSQL cannot store (a NUL character, an unpaired surrogate, …). */
export const PG_DATA_EXCEPTION_CLASS = '22';

/** The SQLSTATE of a driver error, as TypeORM wraps it or pg raises it. */
export function pgCode(err: unknown): string | undefined {
  const code = (err as { driverError?: { code?: unknown } })?.driverError?.code ?? (err as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}
