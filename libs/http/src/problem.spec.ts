import { describe, expect, it } from '@jest/globals';
import { ConflictException, NotFoundException } from '@nestjs/common';
import { DomainError, flattenValidationErrors, RequestValidationError, toProblem } from './problem.js';

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
      code: 'action-not-allowed',
      title: 'Action not allowed',
      status: 409,
      detail: '操作与当前状态冲突。This action is not allowed in the current state.',
      allowedActions: ['accept'],
    });
  });

  it('maps HTTP exceptions by status', () => {
    expect(toProblem(new NotFoundException('no such task'))).toMatchObject({
      status: 404,
      title: 'Not Found',
      code: 'not-found',
      detail: '未找到。no such task',
    });
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
        { property: 'title', value: 3, constraints: { isString: 'title must be a string' }, children: [] },
        {
          property: 'owners',
          children: [{ property: '0', children: [{ property: 'departmentId', value: 'x', constraints: { isUuid: 'must be a UUID' }, children: [] }] }],
        },
      ]),
    ).toEqual([
      { path: 'title', message: '须为文本。title must be a string' },
      { path: 'owners.0.departmentId', message: '须为 UUID。must be a UUID' },
    ]);
  });

  it('tells a field that fails several constraints one thing, Chinese first: what it must be before how long', () => {
    const errors = flattenValidationErrors([
      {
        property: 'title',
        value: 42,
        constraints: { maxLength: 'title must be shorter than or equal to 500 characters', isString: 'title must be a string' },
        children: [],
      },
      { property: 'comment', value: 'x'.repeat(6000), constraints: { maxLength: 'comment must be shorter than or equal to 5000 characters' }, children: [] },
      { property: 'priority', value: 'high', constraints: { isIn: 'priority must be one of the following values: normal, urgent' }, children: [] },
    ]);
    expect(errors).toEqual([
      { path: 'title', message: '须为文本。title must be a string' },
      { path: 'comment', message: '不能超过 5000 个字符。comment must be shorter than or equal to 5000 characters' },
      { path: 'priority', message: '须为以下之一：normal、urgent。priority must be one of the following values: normal, urgent' },
    ]);
  });

  it('says a missing field is required, whatever else it fails', () => {
    const [error] = flattenValidationErrors([
      { property: 'title', value: undefined, constraints: { isNotEmpty: 'title should not be empty', isString: 'title must be a string' }, children: [] },
    ]);
    expect(error).toEqual({ path: 'title', message: '必须填写。title is required.' });
  });

  it('answers a validation failure with a Chinese detail naming the fields and the stable code', () => {
    const problem = toProblem(new RequestValidationError([{ path: 'title', message: '必须填写。title is required.' }]));
    expect(problem).toMatchObject({ status: 400, code: 'validation', detail: '请求中有字段不合格：title。The request has invalid fields.' });
  });
});
