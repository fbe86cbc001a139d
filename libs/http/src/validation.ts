import { ValidationPipe } from '@nestjs/common';
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
