// TEMPORARY (issue 19): stands in for readTextDocument/parseDocument until h-tab's branch lands in
// @duban/plan-import; deleted before this branch's final commit.
import { parse, type ParsedPlan, type ParseOptions, type PlanDocument } from '@duban/plan-import';
import { documentText } from './plan-text.js';

export function readTextDocument(text: string): PlanDocument {
  return { blocks: [{ kind: 'paragraph', text }] };
}

export function parseDocument(doc: PlanDocument, options?: ParseOptions): ParsedPlan {
  return parse(documentText(doc), options);
}
