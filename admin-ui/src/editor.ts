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

/** Compiler positions are 1-based line and column; CodeMirror's are offsets. */
export function toLint(doc: Text, diagnostics: Diagnostic[]): LintDiagnostic[] {
  return diagnostics
    .filter((d) => d.severity !== 'hidden')
    .map((d) => {
      const line = doc.line(Math.min(Math.max(d.line, 1), doc.lines));
      const from = Math.min(line.from + Math.max(d.column, 1) - 1, line.to);
      const word = /^[\w.]+/.exec(doc.sliceString(from, line.to));
      const to = word ? from + word[0].length : Math.min(from + 1, line.to);
      return { from, to, severity: d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'info', message: `${d.id}: ${d.message}`, source: d.id };
    });
}
