import { acceptCompletion, autocompletion, type CompletionSource } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, indentOnInput, StreamLanguage, syntaxHighlighting, defaultHighlightStyle } from '@codemirror/language';
import { csharp } from '@codemirror/legacy-modes/mode/clike';
import { lintGutter, linter, type Diagnostic as LintDiagnostic } from '@codemirror/lint';
import { EditorState, type Text } from '@codemirror/state';
import { EditorView, drawSelection, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers, type KeyBinding } from '@codemirror/view';
import type { Diagnostic } from './types';

export interface ScriptEditorOptions {
  parent: HTMLElement;
  source: string;
  label: string;
  /** Checks the source (a dry run); called debounced as the user types. */
  check: (source: string) => Promise<Diagnostic[]>;
  onChange: (source: string) => void;
  save: () => void;
  /** Names to complete as the user types (the phase's script API); none when absent. */
  completion?: CompletionSource;
}

/**
 * CodeMirror 6 with C# highlighting, the compiler's diagnostics as lint marks, Mod-s to save, and
 * completion (arrows, Enter or Tab to pick, Escape to close) when a source is given.
 */
export function createScriptEditor(options: ScriptEditorOptions): EditorView {
  const saveKey: KeyBinding = { key: 'Mod-s', preventDefault: true, run: () => { options.save(); return true; } };
  // Before indentWithTab: Tab picks the selected completion while the list is open, else indents.
  const acceptKey: KeyBinding = { key: 'Tab', run: acceptCompletion };
  return new EditorView({
    parent: options.parent,
    state: EditorState.create({
      doc: options.source,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        highlightActiveLine(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        StreamLanguage.define(csharp),
        options.completion ? autocompletion({ override: [options.completion], icons: false }) : [],
        lintGutter(),
        linter(async (view) => toLint(view.state.doc, await options.check(view.state.doc.toString())), { delay: 400 }),
        // Tab indents; Escape then Tab leaves the editor (CodeMirror's documented keyboard escape).
        keymap.of([saveKey, acceptKey, indentWithTab, ...defaultKeymap, ...historyKeymap]),
        EditorView.contentAttributes.of({ 'aria-label': options.label }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) options.onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
}

/** Compiler positions are 1-based line and column; CodeMirror's are offsets (clamped into the text). */
function offsetOf(doc: Text, diagnostic: Diagnostic): { from: number; lineEnd: number } {
  const line = doc.line(Math.min(Math.max(diagnostic.line, 1), doc.lines));
  return { from: Math.min(line.from + Math.max(diagnostic.column, 1) - 1, line.to), lineEnd: line.to };
}

/** Puts the cursor at a diagnostic's position, scrolled into view, and focuses the editor. */
export function goToDiagnostic(view: EditorView | undefined, diagnostic: Diagnostic): void {
  if (!view) return;
  view.dispatch({ selection: { anchor: offsetOf(view.state.doc, diagnostic).from }, scrollIntoView: true });
  view.focus();
}

/** Replaces the whole text (a rollback brought another version). */
export function replaceDocument(view: EditorView | undefined, source: string): void {
  view?.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: source } });
}

export function toLint(doc: Text, diagnostics: Diagnostic[]): LintDiagnostic[] {
  return diagnostics
    .filter((d) => d.severity !== 'hidden')
    .map((d) => {
      const { from, lineEnd } = offsetOf(doc, d);
      // The mark covers the word (or dotted name) the diagnostic starts at.
      const word = /^[\w.]+/.exec(doc.sliceString(from, lineEnd));
      const to = word ? from + word[0].length : Math.min(from + 1, lineEnd);
      return { from, to, severity: d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'info', message: `${d.id}: ${d.message}`, source: d.id };
    });
}
