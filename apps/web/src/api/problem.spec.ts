import { describe, expect, it } from '@jest/globals';
import { problemText } from './problem.js';

describe('problemText', () => {
  it('says a refusal whose field error repeats the detail once', () => {
    const detail = '部门负责人和承办人必须属于一个单位，请选择所属单位。A lead or handler must belong to a department.';
    expect(problemText(400, { detail, errors: [{ path: 'departmentId', message: detail }] })).toBe(detail);
  });

  it('names each other bad field in Chinese after the detail', () => {
    const text = problemText(400, {
      detail: '请求中有字段不合格：url、secret。The request has invalid fields.',
      errors: [
        { path: 'url', message: '不合格。must be an URL address' },
        { path: 'secret', message: '不合格。must be longer than or equal to 16 characters' },
      ],
    });
    expect(text).toBe(
      '请求中有字段不合格：url、secret。The request has invalid fields.；推送地址：不合格。must be an URL address；签名密钥：不合格。must be longer than or equal to 16 characters',
    );
  });

  it('falls back to a sentence for the status', () => {
    expect(problemText(403, null)).toBe('没有权限执行此操作');
  });
});
