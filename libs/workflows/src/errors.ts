import type { DefinitionError } from '@duban/engine';
import { DomainError } from '@duban/http';

export class DefinitionInvalidError extends DomainError.of(422, 'definition-invalid', 'Workflow definition invalid') {
  constructor(readonly errors: DefinitionError[]) {
    super(`The workflow definition has ${errors.length} error(s).`);
    this.extensions.valid = false;
    this.extensions.errors = errors;
  }
}

export class WorkflowNotFoundError extends DomainError.of(404, 'workflow-not-found', 'Workflow not found') {
  constructor(key: string, version?: number) {
    super(version === undefined ? `There is no workflow "${key}".` : `Workflow "${key}" has no version ${version}.`);
  }
}
