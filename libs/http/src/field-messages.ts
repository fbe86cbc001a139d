import type { ValidationError } from '@nestjs/common';

/**
 * class-validator's constraints in the order a person fixes them: first what the field is (its
 * type, its form), then how big it may be. A field failing several constraints is told the first.
 */
const CONSTRAINT_ORDER = [
  'whitelistValidation',
  'isDefined',
  'isNotEmpty',
  'isString',
  'isBoolean',
  'isInt',
  'isNumber',
  'isArray',
  'isObject',
  'isUuid',
  'isIso8601',
  'isUrl',
  'isEmail',
  'isIn',
  'matches',
  'minLength',
  'maxLength',
  'min',
  'max',
  'arrayMinSize',
  'arrayMaxSize',
  'arrayUnique',
];

/** The Chinese of a constraint; `n` is the limit read from class-validator's message, when it names one. */
const CONSTRAINT_WORDS: Record<string, (n: string | undefined, english: string) => string> = {
  whitelistValidation: () => '不接受此字段',
  isDefined: () => '必须填写',
  isNotEmpty: () => '不能为空',
  isString: () => '须为文本',
  isBoolean: () => '须为 true 或 false',
  isInt: () => '须为整数',
  isNumber: () => '须为数字',
  isArray: () => '须为列表',
  isObject: () => '须为对象',
  isUuid: () => '须为 UUID',
  isIso8601: () => '须为 ISO 8601 日期时间，如 2025-10-20T17:30:00+08:00',
  isUrl: () => '须为 http(s) 网址',
  isEmail: () => '须为电子邮件地址',
  isIn: (_n, english) => {
    const values = /:\s*(.+)$/.exec(english)?.[1];
    return values ? `须为以下之一：${values.split(/,\s*/).join('、')}` : '不是可选的值';
  },
  matches: () => '格式不正确',
  minLength: (n) => (n ? `至少 ${n} 个字符` : '太短'),
  maxLength: (n) => (n ? `不能超过 ${n} 个字符` : '太长'),
  min: (n) => (n ? `不能小于 ${n}` : '太小'),
  max: (n) => (n ? `不能大于 ${n}` : '太大'),
  arrayMinSize: (n) => (n ? `至少 ${n} 项` : '项数太少'),
  arrayMaxSize: (n) => (n ? `最多 ${n} 项` : '项数太多'),
  arrayUnique: () => '不能有重复项',
};

/**
 * One message for one invalid field, Chinese first then English (class-validator's own words
 * or the DTO's message): a missing value is "必须填写" whatever else it fails; otherwise the first
 * failed constraint in CONSTRAINT_ORDER. `error` has at least one constraint.
 */
export function fieldMessage(error: ValidationError): string {
  const constraints = error.constraints ?? {};
  const names = Object.keys(constraints);
  const missing = (error.value === undefined || error.value === null) && !names.includes('whitelistValidation');
  if (missing) return `必须填写。${error.property} is required.`;
  const rank = (name: string) => (CONSTRAINT_ORDER.includes(name) ? CONSTRAINT_ORDER.indexOf(name) : CONSTRAINT_ORDER.length);
  const name = [...names].sort((a, b) => rank(a) - rank(b))[0]!;
  const english = constraints[name]!;
  const limit = /(\d+)\D*$/.exec(english)?.[1];
  const words = CONSTRAINT_WORDS[name]?.(limit, english) ?? '不合格';
  return `${words}。${english}`;
}
