import { describe, expect, it } from '@jest/globals';
import { lacksDepartment } from './org-rules.js';

describe('lacksDepartment', () => {
  it('holds for a lead or handler without a department', () => {
    expect(lacksDepartment(['lead'], null)).toBe(true);
    expect(lacksDepartment(['handler', 'admin'], undefined)).toBe(true);
  });

  it('does not hold once the lead or handler has a department', () => {
    expect(lacksDepartment(['lead', 'handler'], 'd-1')).toBe(false);
  });

  it('does not hold for supervisors, admins and users without roles', () => {
    expect(lacksDepartment(['supervisor'], null)).toBe(false);
    expect(lacksDepartment(['admin'], null)).toBe(false);
    expect(lacksDepartment([], null)).toBe(false);
  });
});
