import type { DefinitionError } from '@duban/engine';
import { DomainError } from '@duban/http';

export class DefinitionInvalidError extends DomainError {
  readonly status = 422;
  readonly slug = 'definition-invalid';
  readonly title = 'Workflow definition invalid';
  constructor(readonly errors: DefinitionError[]) {
    super(`The workflow definition has ${errors.length} error(s).`);
    this.extensions.valid = false;
    this.extensions.errors = errors;
  }
}

export class WorkflowNotFoundError extends DomainError {
  readonly status = 404;
  readonly slug = 'workflow-not-found';
  readonly title = 'Workflow not found';
  constructor(key: string, version?: number) {
    super(version === undefined ? `There is no workflow "${key}".` : `Workflow "${key}" has no version ${version}.`);
  }
}
