import { describe, expect, it } from '@jest/globals';
import { canonicalText, pathSegments, rangeOfPath, readDraft } from './workflow-text';

const DEFINITION = {
  transitions: [{ to: 'processing', from: ['dispatched'], action: 'accept', allowed: ['owner'], label: '签收' }],
  states: [
    { label: '待签收', key: 'dispatched', initial: true, sla: { breach: { notify: ['owner'] }, limit: '2wh' } },
    { key: 'processing', label: '办理中' },
  ],
  name: '热线工单',
  key: 'ticket',
};

/** The text at a path's mark. */
function marked(path: string, text = canonicalText(DEFINITION)): string {
  const draft = readDraft(text);
  if (!draft.ok) throw new Error('the text should parse');
  const { from, to } = rangeOfPath(text, draft.tree, path);
  return text.slice(from, to);
}

describe('workflow text', () => {
  it('writes a definition with its fields in the fixed order, whatever order it came in', () => {
    const text = canonicalText(DEFINITION);
    expect(Object.keys(JSON.parse(text) as object)).toEqual(['key', 'name', 'states', 'transitions']);
    expect(text.indexOf('"key": "dispatched"')).toBeLessThan(text.indexOf('"label": "待签收"'));
    expect(text.indexOf('"limit"')).toBeLessThan(text.indexOf('"breach"'));
    expect(canonicalText(JSON.parse(text))).toBe(text);
  });

  it('reads a path by indices or by a state’s key', () => {
    expect(pathSegments('states[0].sla.limit')).toEqual(['states', 0, 'sla', 'limit']);
    expect(pathSegments('transitions[2].to')).toEqual(['transitions', 2, 'to']);
    expect(pathSegments('')).toEqual([]);
  });

  it('marks the field an error names, from its name to the end of its line', () => {
    expect(marked('states[0].sla.limit')).toBe('"limit": "2wh"');
    expect(marked('states.dispatched.sla.limit')).toBe('"limit": "2wh"');
    expect(marked('transitions[0].to')).toBe('"to": "processing"');
    expect(marked('transitions.accept.from[0]')).toBe('"dispatched"');
    // A missing field: the part that should hold it, its first line only.
    expect(marked('states[1].sla')).toBe('{');
    expect(marked('')).toBe('{');
  });

  it('says in Chinese where the JSON breaks', () => {
    const text = '{\n  "key": "ticket"\n  "name": "x"\n}';
    const draft = readDraft(text);
    expect(draft.ok).toBe(false);
    if (draft.ok) return;
    expect(draft.problems[0]).toEqual({ from: text.indexOf('"name"'), to: text.indexOf('"name"') + 6, message: 'JSON 语法错误：此处应为逗号“,”' });
    expect(readDraft('[]')).toMatchObject({ ok: false, problems: [{ message: expect.stringContaining('JSON 对象') }] });
  });
});
