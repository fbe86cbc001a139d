import { ParseUUIDPipe, ValidationPipe } from '@nestjs/common';
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

/** A UUID path parameter; anything else answers 400 naming the parameter. */
export function uuidParam(name: string): ParseUUIDPipe {
  return new ParseUUIDPipe({ exceptionFactory: () => new RequestValidationError([{ path: name, message: 'must be a UUID' }]) });
}
