import { describe, expect, it } from '@jest/globals';
import { ConflictException, NotFoundException } from '@nestjs/common';
import { DomainError, flattenValidationErrors, toProblem } from './problem.js';

class NotAllowedInState extends DomainError.of(409, 'action-not-allowed', 'Action not allowed') {
  constructor(allowedActions: string[]) {
    super('This action is not allowed in the current state.');
    this.extensions.allowedActions = allowedActions;
  }
}

describe('toProblem', () => {
  it('keeps a domain error status, type and extension members', () => {
    expect(toProblem(new NotAllowedInState(['accept']))).toEqual({
      type: 'urn:duban:problem:action-not-allowed',
      title: 'Action not allowed',
      status: 409,
      detail: 'This action is not allowed in the current state.',
      allowedActions: ['accept'],
    });
  });

  it('maps HTTP exceptions by status', () => {
    expect(toProblem(new NotFoundException('no such task'))).toMatchObject({ status: 404, title: 'Not Found', detail: 'no such task' });
    expect(toProblem(new ConflictException())).toMatchObject({ status: 409 });
  });

  it('hides the detail of unexpected errors', () => {
    const problem = toProblem(new Error('password=hunter2 in connection string'));
    expect(problem.status).toBe(500);
    expect(JSON.stringify(problem)).not.toContain('hunter2');
  });
});

describe('flattenValidationErrors', () => {
  it('gives one path per invalid field, nested fields included', () => {
    expect(
      flattenValidationErrors([
        { property: 'title', constraints: { isString: 'title must be a string' }, children: [] },
        {
          property: 'owners',
          children: [{ property: '0', children: [{ property: 'departmentId', constraints: { isUuid: 'must be a UUID' }, children: [] }] }],
        },
      ]),
    ).toEqual([
      { path: 'title', message: 'title must be a string' },
      { path: 'owners.0.departmentId', message: 'must be a UUID' },
    ]);
  });
});
