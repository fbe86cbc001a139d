/*
 * Without imports, so that code outside Nest (a worker thread reading a plan file) can throw
 * domain errors without loading Nest and the database driver (some 1.8 s); problem.ts re-exports it.
 */

/**
 * Base of the errors services throw. Services speak the domain ("not allowed in this state");
 * the filter alone knows that this becomes a 409 with a problem+json body.
 */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly slug: string;
  abstract readonly title: string;
  /** Extension members added to the problem body. */
  readonly extensions: Record<string, unknown> = {};

  /**
   * The base of one kind of error: its HTTP status, its stable `slug` (the problem type's last
   * segment, which clients match on) and its title. `class X extends DomainError.of(409, 'x', 'X')`.
   */
  static of(status: number, slug: string, title: string) {
    abstract class Kind extends DomainError {
      readonly status = status;
      readonly slug = slug;
      readonly title = title;
    }
    return Kind;
  }
}
