import type { DefinitionError } from '@duban/engine';
import { DomainError } from '@duban/http';

export class DefinitionInvalidError extends DomainError.of(422, 'definition-invalid', 'Workflow definition invalid') {
  constructor(readonly errors: DefinitionError[]) {
    super(`流程定义有 ${errors.length} 处错误。The workflow definition has ${errors.length} error(s).`);
    this.extensions.valid = false;
    this.extensions.errors = errors;
  }
}

export class WorkflowNotFoundError extends DomainError.of(404, 'workflow-not-found', 'Workflow not found') {
  constructor(key: string, version?: number) {
    super(
      version === undefined
        ? `不存在流程“${key}”。There is no workflow "${key}".`
        : `流程“${key}”没有第 ${version} 版。Workflow "${key}" has no version ${version}.`,
    );
  }
}

/**
 * A publish of exactly the latest version's definition: it would make an identical version, so
 * nothing is published (409) and the admin is told which version it already is.
 */
export class WorkflowUnchangedError extends DomainError.of(409, 'workflow-unchanged', 'Workflow unchanged') {
  constructor(key: string, version: number) {
    super(
      `流程定义与已发布的第 ${version} 版完全相同，未发布新版本；请修改后再发布。The definition of "${key}" is identical to its version ${version}: nothing was published.`,
    );
    this.extensions.version = version;
  }
}
