import { json } from '@codemirror/lang-json';
import { type Diagnostic, lintGutter, setDiagnostics } from '@codemirror/lint';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'react';

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
        EditorView.contentAttributes.of({ 'aria-label': label }),
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
