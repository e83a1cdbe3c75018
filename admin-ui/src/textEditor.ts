import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { defaultHighlightStyle, StreamLanguage, syntaxHighlighting } from '@codemirror/language';
import { EditorState, StateEffect, StateField, type Range } from '@codemirror/state';
import { Decoration, type DecorationSet, drawSelection, EditorView, highlightActiveLineGutter, keymap, lineNumbers } from '@codemirror/view';

export interface TextEditorOptions {
  parent: HTMLElement;
  source: string;
  label: string;
  onChange: (source: string) => void;
  /** Mod-Enter. */
  run: () => void;
}

/** Marks lines first..last (1-based) or, with null, none. */
const setMarked = StateEffect.define<{ first: number; last: number } | null>();
const markedLine = Decoration.line({ class: 'cm-marked-line' });

const marked = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(lines, transaction) {
    lines = lines.map(transaction.changes);
    for (const effect of transaction.effects) {
      if (!effect.is(setMarked)) continue;
      if (!effect.value) {
        lines = Decoration.none;
        continue;
      }
      const doc = transaction.state.doc;
      const first = Math.min(Math.max(effect.value.first, 1), doc.lines);
      const last = Math.min(Math.max(effect.value.last, first), doc.lines);
      const ranges: Range<Decoration>[] = [];
      for (let n = first; n <= last; n++) ranges.push(markedLine.range(doc.line(n).from));
      lines = Decoration.set(ranges);
    }
    return lines;
  },
  provide: (field) => EditorView.decorations.from(field),
});

// The spec format's headers, so blocks and sections stand out: "=== Test N: name", "--- request".
const specLanguage = StreamLanguage.define<null>({
  token(stream) {
    if (stream.sol() && stream.match(/^===.*/)) return 'heading';
    if (stream.sol() && stream.match(/^---.*/)) return 'keyword';
    if (stream.sol() && stream.match(/^#.*/)) return 'comment';
    if (stream.match(/^\{\{.*?\}\}/)) return 'string';
    stream.next();
    return null;
  },
});

/** A plain text editor with line numbers for spec files, whose lines can be marked and scrolled to. */
export function createSpecEditor(options: TextEditorOptions): EditorView {
  return new EditorView({
    parent: options.parent,
    state: EditorState.create({
      doc: options.source,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        history(),
        drawSelection(),
        specLanguage,
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        marked,
        keymap.of([{ key: 'Mod-Enter', preventDefault: true, run: () => { options.run(); return true; } }, indentWithTab, ...defaultKeymap, ...historyKeymap]),
        EditorView.contentAttributes.of({ 'aria-label': options.label }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) options.onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
}

/** Marks lines first..last, puts the cursor at the first and scrolls it to the top of the editor. */
export function markLines(view: EditorView, first: number, last: number): void {
  const doc = view.state.doc;
  const line = doc.line(Math.min(Math.max(first, 1), doc.lines));
  view.dispatch({
    effects: [setMarked.of({ first, last }), EditorView.scrollIntoView(line.from, { y: 'start', yMargin: 8 })],
    selection: { anchor: line.from },
  });
  view.focus();
}

export function clearMarks(view: EditorView): void {
  view.dispatch({ effects: setMarked.of(null) });
}
