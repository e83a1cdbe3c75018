import type { EditorView } from '@codemirror/view';
import { request, UnauthorizedError } from '../api';
import { h, replaceChildren } from '../dom';
import type { Page } from '../page';
import { clearMarks, createSpecEditor, markLines } from '../textEditor';
import type { SpecBlockReport, SpecReport } from '../types';

// The text survives a reload of the tab (not the browser): a spec is often edited and run many times.
const storageKey = 'slardar.spec.text';

const starter = `=== Test 1: the demo upstream echoes the request
--- request
GET /hello
Host: localhost
--- response
200
--- response_eval
Response.Json["path"] == "/hello"
`;

/**
 * Paste or write a spec, run it with POST /spec against a throw-away copy of the gateway, and read
 * one line per block: pass or fail, the diff of a failing one, and a link that marks the block's
 * lines in the text (line to end_line of the answer) and scrolls there.
 */
export class SpecPage implements Page {
  readonly title = 'Specs';
  readonly nav = 'specs' as const;
  private view?: EditorView;
  private source = '';
  private runButton!: HTMLButtonElement;
  private state!: HTMLElement;
  private results!: HTMLElement;

  async render(root: HTMLElement): Promise<void> {
    this.source = sessionStorage.getItem(storageKey) ?? starter;
    this.state = h('p', { id: 'spec-state', class: 'check-state', role: 'status', 'aria-live': 'polite' });
    this.results = h('section', { id: 'spec-results', 'aria-label': 'Spec results' });
    this.runButton = h('button', { type: 'button', id: 'spec-run', class: 'primary', onclick: () => void this.run() }, 'Run spec');
    const editorHost = h('div', { class: 'editor', id: 'spec-editor' });
    root.append(
      h('div', { class: 'page-head' }, h('h1', null, 'Specs')),
      h('p', { class: 'muted' }, 'Blocks of "=== Test N: name" with --- setup, --- request, --- response and --- response_eval run against a throw-away copy of this gateway (its scripts, modules and scripts.json; upstreams on an echo backend). Live traffic never sees them.'),
      h('p', { class: 'editor-label' }, 'Spec text (Ctrl+Enter runs)'),
      editorHost,
      h('div', { class: 'actions' }, this.state, h('span', { class: 'spacer' }), this.runButton),
      this.results);
    this.view = createSpecEditor({
      parent: editorHost,
      source: this.source,
      label: 'Spec text',
      onChange: (source) => {
        this.source = source;
        sessionStorage.setItem(storageKey, source);
      },
      run: () => void this.run(),
    });
  }

  dispose(): void {
    this.view?.destroy();
  }

  private async run(): Promise<void> {
    if (this.runButton.disabled || !this.view) return;
    this.runButton.disabled = true;
    clearMarks(this.view);
    this.state.className = 'check-state pending';
    this.state.textContent = 'Running… (a sandbox gateway starts for the run)';
    replaceChildren(this.results);
    try {
      const answer = await request<SpecReport & { msg?: string; line?: number }>('/spec', {
        method: 'POST', body: this.source, contentType: 'text/plain; charset=utf-8', acceptErrors: true,
      });
      if (answer.status === 200) this.show(answer.body);
      else this.refused(answer.body?.msg ?? `HTTP ${answer.status}`, answer.body?.line);
    } catch (error) {
      if (error instanceof UnauthorizedError) throw error;
      this.refused((error as Error).message);
    } finally {
      this.runButton.disabled = false;
    }
  }

  private refused(message: string, line?: number): void {
    this.state.className = 'check-state err-text';
    this.state.textContent = `Not run: ${message}`;
    if (line && line > 0) {
      replaceChildren(this.results, h('button', { type: 'button', class: 'link', id: 'spec-error-line', onclick: () => this.mark(line, line) }, `Show line ${line}`));
    }
  }

  private show(report: SpecReport): void {
    this.state.className = `check-state ${report.pass ? 'ok-text' : 'err-text'}`;
    this.state.textContent = `${report.passed} passed, ${report.failed} failed`;
    replaceChildren(this.results, h('ol', { class: 'spec-blocks' }, report.blocks.map((block) => this.blockItem(block))));
  }

  private blockItem(block: SpecBlockReport): HTMLElement {
    const lines = block.line > 0 ? `lines ${block.line}–${block.end_line}` : null;
    return h('li', { class: `spec-block ${block.pass ? 'pass' : 'fail'}`, 'data-block': block.number, 'data-pass': String(block.pass) },
      h('div', { class: 'spec-block-head' },
        h('span', { class: `badge ${block.pass ? 'ok' : 'err'}` }, block.pass ? 'pass' : 'fail'),
        h('strong', null, `Test ${block.number}: ${block.name}`),
        lines
          ? h('button', { type: 'button', class: 'link', 'aria-label': `Show the lines of test ${block.number} (${lines})`, onclick: () => this.mark(block.line, block.end_line) }, lines)
          : null),
      block.pass ? null : h('pre', { class: 'spec-diff' }, block.diff ?? ''));
  }

  private mark(first: number, last: number): void {
    if (this.view) markLines(this.view, first, last);
  }
}
