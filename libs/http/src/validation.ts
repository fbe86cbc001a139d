import { type ArgumentMetadata, ParseUUIDPipe, type PipeTransform, ValidationPipe } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { flattenValidationErrors, RequestValidationError } from './problem.js';

/** Unknown fields are refused, not dropped, so a client's typo never passes silently. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => new RequestValidationError(flattenValidationErrors(errors)),
  });
}

/**
 * A UUID path parameter, lower-cased as PostgreSQL returns it (the audit hash covers the id as
 * written); anything else answers 400 naming the parameter.
 */
export function uuidParam(name: string): PipeTransform<string, Promise<string>> {
  const pipe = new ParseUUIDPipe({ exceptionFactory: () => new RequestValidationError([{ path: name, message: `须为 UUID。${name} must be a UUID.` }]) });
  return { transform: async (value: string, metadata: ArgumentMetadata) => ((await pipe.transform(value, metadata)) ?? value).toLowerCase() };
}

/** Lower-cases a UUID (or a list of them) in a DTO, so that one id is one string everywhere. */
export const LowercaseIds = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value.toLowerCase()
      : Array.isArray(value)
        ? (value as unknown[]).map((v) => (typeof v === 'string' ? v.toLowerCase() : v))
        : value,
  );
