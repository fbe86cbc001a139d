import { type Node, parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';

/**
 * The order fields of a definition are written in (API.md's examples): what names a part first,
 * then what it says, then its sections. Fields not listed follow in alphabetical order.
 */
const FIELD_ORDER = [
  'key',
  'action',
  'level',
  'name',
  'label',
  'calendar',
  'deadline',
  'initial',
  'terminal',
  'pauseClock',
  'from',
  'to',
  'allowed',
  'requires',
  'before',
  'after',
  'every',
  'day',
  'within',
  'beforeDue',
  'limit',
  'breach',
  'notify',
  'card',
  'rating',
  'sla',
  'callback',
  'branches',
  'kpi',
  'window',
  'maxExtension',
  'proposes',
  'grants',
  'waitsForChildren',
  'states',
  'transitions',
  'reminders',
  'escalations',
  'progress',
  'urgent',
  'lateNotices',
  'coOpinions',
];
const rank = (field: string) => {
  const i = FIELD_ORDER.indexOf(field);
  return i === -1 ? FIELD_ORDER.length : i;
};

function ordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(ordered);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
  return Object.fromEntries(entries.map(([k, v]) => [k, ordered(v)]));
}

/**
 * A definition as pretty JSON with its fields in one fixed order, whatever order it was stored
 * in: the editor's text, and both sides of the diff, so the diff shows only what changed.
 */
export function canonicalText(definition: unknown): string {
  return JSON.stringify(ordered(definition), null, 2);
}

/** What a published version carries besides its definition, left out of the text an admin edits. */
export function definitionOf<T extends { version: number; publishedAt: string; publishedBy: string | null }>(published: T) {
  const { version: _version, publishedAt: _at, publishedBy: _by, ...definition } = published;
  return definition;
}

const SYNTAX_WORDS: Record<string, string> = {
  InvalidSymbol: '无效的符号',
  InvalidNumberFormat: '数字格式错误',
  PropertyNameExpected: '此处应为带引号的字段名',
  ValueExpected: '此处应为一个值',
  ColonExpected: '此处应为冒号“:”',
  CommaExpected: '此处应为逗号“,”',
  CloseBraceExpected: '此处应为“}”',
  CloseBracketExpected: '此处应为“]”',
  EndOfFileExpected: '定义结束后还有多余的内容',
  InvalidCommentToken: 'JSON 中不能有注释',
  UnexpectedEndOfComment: 'JSON 中不能有注释',
  UnexpectedEndOfString: '字符串缺少结尾的引号',
  UnexpectedEndOfNumber: '数字不完整',
  InvalidUnicode: '无效的 Unicode 转义',
  InvalidEscapeCharacter: '无效的转义字符',
  InvalidCharacter: '字符串中有无效字符',
};

/** A place in the text with what is wrong there. */
export interface TextProblem {
  from: number;
  to: number;
  message: string;
}

export type Draft = { ok: true; value: Record<string, unknown>; tree: Node } | { ok: false; problems: TextProblem[] };

/** The typed text read as JSON: the definition, or its syntax errors (in Chinese) where they are. */
export function readDraft(text: string): Draft {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  if (errors.length > 0 || !tree) {
    const found = errors.length > 0 ? errors : [{ offset: 0, length: 0, error: 0 as ParseError['error'] }];
    return {
      ok: false,
      problems: found.map((e) => ({
        from: e.offset,
        to: e.offset + e.length,
        message: `JSON 语法错误：${SYNTAX_WORDS[printParseErrorCode(e.error)] ?? '无法解析'}`,
      })),
    };
  }
  if (tree.type !== 'object')
    return { ok: false, problems: [{ from: tree.offset, to: tree.offset + tree.length, message: '流程定义须为 JSON 对象（{ … }）' }] };
  return { ok: true, value: JSON.parse(text) as Record<string, unknown>, tree };
}

/** `states[2].sla.limit` → ['states', 2, 'sla', 'limit']; `states.processing.sla` names the state by its key. */
export function pathSegments(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) segments.push(match[2] !== undefined ? Number(match[2]) : match[1]!);
  return segments;
}

/** The fields that name an item of a list: a state's key, a transition's action. */
const NAMING_FIELDS = ['key', 'action'];

function child(node: Node, segment: string | number): Node | undefined {
  if (node.type === 'object') {
    const property = node.children?.find((p) => p.children?.[0]?.value === segment);
    return property?.children?.[1];
  }
  if (node.type !== 'array') return undefined;
  if (typeof segment === 'number') return node.children?.[segment];
  // A state or transition named by its key or action instead of its index.
  const names = (item: Node) => item.children?.some((p) => NAMING_FIELDS.includes(p.children?.[0]?.value as string) && p.children?.[1]?.value === segment);
  return node.children?.find((item) => item.type === 'object' && names(item));
}

/**
 * Where in the text an error's path points: the value at the path; or, for a field that is
 * missing, the part that should hold it. Only the first line of a long value, so the mark stays
 * readable.
 */
export function rangeOfPath(text: string, tree: Node, path: string): { from: number; to: number } {
  let node = tree;
  for (const segment of pathSegments(path)) {
    const next = child(node, segment);
    if (!next) break;
    node = next;
  }
  // A property's value: mark from its name, which is what the admin looks for.
  const start = node.parent?.type === 'property' ? node.parent.offset : node.offset;
  const lineEnd = text.indexOf('\n', start);
  const end = node.offset + node.length;
  return { from: start, to: lineEnd === -1 ? end : Math.min(end, lineEnd) };
}
