import { autocompletion, Completion } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { html } from '@codemirror/lang-html';
import { liquid } from '@codemirror/lang-liquid';
import { defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { Diagnostic, lintGutter, setDiagnostics } from '@codemirror/lint';
import { EditorState, Text } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, keymap, lineNumbers, placeholder } from '@codemirror/view';
import { useEffect, useId, useRef } from 'react';
// The render context's names, from the renderer's own source (a file with no runtime dependency).
import { CONTEXT_ROOTS, STANDARD_LEAD_KEYS } from '@cadence/render/src/render-context';
import { FieldProblem, where } from './types';

/** Completion of the variables a template can use: the context roots, and the lead's own fields (snake_case). */
const completion = {
  // HTML is lang-liquid's base language; its tag auto-closing is off so what is typed is what is stored.
  base: html({ autoCloseTags: false }),
  variables: CONTEXT_ROOTS.map((label): Completion => ({ label, type: 'variable' })),
  properties: (path: readonly string[]): Completion[] =>
    path.length === 1 && path[0] === 'lead'
      ? [...STANDARD_LEAD_KEYS].filter((k) => !/[A-Z]/.test(k)).map((label) => ({ label, type: 'property' }))
      : [],
};

/** Where a 1-based line/column of the API falls in the document (clamped: the text may have changed since). */
function offsetOf(doc: Text, p: FieldProblem): number {
  if (p.line < 1) return 0;
  const line = doc.line(Math.min(p.line, doc.lines));
  return Math.min(line.from + Math.max(p.column - 1, 0), line.to);
}

function diagnosticsFor(doc: Text, problems: FieldProblem[]): Diagnostic[] {
  return problems.map((p) => {
    const from = offsetOf(doc, p);
    // Mark the word the error points at (a filter name, a variable), or one character.
    const rest = doc.sliceString(from, Math.min(from + 40, doc.length));
    const word = /^[\w.]+/.exec(rest)?.[0].length ?? 1;
    return { from, to: Math.min(from + word, doc.length), severity: 'error', message: p.message, source: p.code };
  });
}

const theme = EditorView.theme({
  '&': { border: '1px solid var(--border)', borderRadius: '6px', background: 'var(--surface)', fontSize: '0.875rem' },
  '&.cm-focused': { outline: '2px solid var(--accent)', outlineOffset: '1px' },
  '.cm-content': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', padding: '0.4rem 0' },
  '.cm-gutters': { background: '#fafbfd', borderRight: '1px solid var(--border)', color: 'var(--muted)' },
  '.cm-scroller': { overflow: 'auto' },
});

/**
 * A Liquid source field: CodeMirror 6 with Liquid highlighting (over HTML, lang-liquid's base), line numbers, and
 * the API's located problems marked in the text and listed under it. Tab is left to move focus (no keyboard trap).
 */
export function LiquidEditor({
  label,
  value,
  onChange,
  problems,
  hint,
  minHeight = '7rem',
  placeholderText,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  problems: FieldProblem[];
  hint?: React.ReactNode;
  minHeight?: string;
  placeholderText?: string;
}) {
  const id = useId();
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const changed = useRef(onChange);
  useEffect(() => {
    changed.current = onChange;
  });
  const describedBy = [hint && `${id}-hint`, problems.length > 0 && `${id}-problems`].filter(Boolean).join(' ');

  useEffect(() => {
    const editor = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          history(),
          drawSelection(),
          highlightActiveLine(),
          keymap.of([...defaultKeymap, ...historyKeymap]),
          liquid(completion),
          autocompletion(),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          lintGutter(),
          EditorView.lineWrapping,
          theme,
          EditorView.theme({ '.cm-content, .cm-gutter': { minHeight } }),
          ...(placeholderText ? [placeholder(placeholderText)] : []),
          EditorView.contentAttributes.of({ 'aria-labelledby': `${id}-label` }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) changed.current(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // The editor is created once; later values arrive through the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // A value set from outside (a template loaded, a channel switched) replaces the text.
  useEffect(() => {
    const editor = view.current;
    if (editor && editor.state.doc.toString() !== value) {
      editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
    }
  }, [value]);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    editor.dispatch(setDiagnostics(editor.state, diagnosticsFor(editor.state.doc, problems)));
    editor.contentDOM.setAttribute('aria-invalid', problems.length > 0 ? 'true' : 'false');
    if (describedBy) editor.contentDOM.setAttribute('aria-describedby', describedBy);
    else editor.contentDOM.removeAttribute('aria-describedby');
  }, [problems, describedBy]);

  return (
    <div className={problems.length > 0 ? 'field field-invalid' : 'field'}>
      <label id={`${id}-label`} onClick={() => view.current?.focus()}>
        {label}
      </label>
      <div ref={host} className="liquid-editor" />
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      {problems.length > 0 && (
        <ul id={`${id}-problems`} className="liquid-problems" aria-label={`Problems in ${label}`}>
          {problems.map((p, i) => (
            <li key={i} className="field-error" data-testid="liquid-problem">
              {where(p) && <strong>{where(p)}: </strong>}
              {p.message} <span className="error-code">({p.code})</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
