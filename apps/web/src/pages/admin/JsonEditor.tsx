import { json } from '@codemirror/lang-json';
import { type Diagnostic, lintGutter, setDiagnostics } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'react';

/** The editor's own words (search panel, folding, lint panel) in Chinese. */
const PHRASES = {
  Find: '查找',
  Replace: '替换',
  next: '下一个',
  previous: '上一个',
  all: '全选',
  'match case': '区分大小写',
  regexp: '正则表达式',
  'by word': '全词匹配',
  replace: '替换',
  'replace all': '全部替换',
  close: '关闭',
  'current match': '当前匹配',
  'on line': '行',
  'replaced match on line $': '已替换第 $ 行的匹配',
  'replaced $ matches': '已替换 $ 处',
  'Go to line': '跳转到行',
  go: '跳转',
  'Folded lines': '已折叠的行',
  'Unfolded lines': '已展开的行',
  'folded code': '已折叠的代码',
  unfold: '展开',
  'Fold line': '折叠',
  'Unfold line': '展开',
  to: '至',
  'Control character': '控制字符',
  'Selection deleted': '已删除所选内容',
  Diagnostics: '问题',
  'No diagnostics': '没有问题',
  Completions: '补全',
};

interface Props {
  /** The text the editor starts with; later changes come from typing (a new `initial` replaces the text). */
  initial: string;
  onChange: (text: string) => void;
  /** Marks in the text: the syntax errors and the api's errors at their paths. */
  diagnostics: Diagnostic[];
  label: string;
}

/** CodeMirror with JSON highlighting, marks given from outside (lint gutter), wrapped lines so a phone needs no sideways scroll. */
export function JsonEditor({ initial, onChange, diagnostics, label }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const changed = useRef(onChange);
  changed.current = onChange;

  useEffect(() => {
    const editor = new EditorView({
      doc: initial,
      parent: host.current!,
      extensions: [
        basicSetup,
        json(),
        lintGutter(),
        EditorView.lineWrapping,
        EditorState.phrases.of(PHRASES),
        // Focusable by Tab like any field (the scrolling area needs a focusable part for keyboard users).
        EditorView.contentAttributes.of({ 'aria-label': label, tabindex: '0' }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) changed.current(update.state.doc.toString());
        }),
        EditorView.theme({ '&': { maxHeight: '60vh', fontSize: '13px' }, '.cm-scroller': { overflow: 'auto' } }),
      ],
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
  }, [initial, label]);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const length = editor.state.doc.length;
    // Marks computed for an older text may lie past its end.
    const inside = diagnostics.filter((d) => d.from <= length && d.to <= length);
    editor.dispatch(setDiagnostics(editor.state, inside));
  }, [diagnostics]);

  return <div ref={host} style={{ border: '1px solid #d9d9d9', borderRadius: 6, overflow: 'hidden' }} />;
}
