import type { EditorView } from '@codemirror/view';
import { api, apiOrNull, request, segment, UnauthorizedError } from '../api';
import { h, replaceChildren } from '../dom';
import { completionNames, scriptCompletion } from '../completion';
import { createScriptEditor, goToDiagnostic, replaceDocument } from '../editor';
import { time } from '../format';
import type { Page } from '../page';
import type { Diagnostic, ScriptInfo } from '../types';
import { VersionList } from '../versions';

interface CheckResult {
  source: string;
  diagnostics: Diagnostic[];
  /** A refusal that is not a compiler diagnostic (an empty body, a bad host pattern). */
  refusal?: string;
}

const starter = '// C# statements; Request, Upstream, Vars, Log and Exit(...) are in scope.\nreturn Next;\n';

/**
 * One host's script for one phase: a C# editor checked with ?dry_run=true as the user types, the
 * compiler's diagnostics at their lines, Save (only for code that compiles), and the versions with
 * diffs and rollback.
 */
export class ScriptEditorPage implements Page {
  readonly title: string;
  readonly nav = 'scripts' as const;
  private info: ScriptInfo | null = null;
  private view?: EditorView;
  private checked?: CheckResult;
  private checking = false;
  private source = '';
  private summary!: HTMLElement;
  private state!: HTMLElement;
  private diagnostics!: HTMLElement;
  private saveButton!: HTMLButtonElement;
  private message!: HTMLElement;
  private versions!: VersionList;

  constructor(private readonly host: string, private readonly phase: string) {
    this.title = `Script ${host} / ${phase}`;
  }

  private get path(): string {
    return `/script/${segment(this.host)}/${segment(this.phase)}`;
  }

  async render(root: HTMLElement): Promise<void> {
    await this.loadInfo();
    this.source = this.info?.source ?? starter;
    this.summary = h('div', { class: 'summary' });
    this.state = h('p', { id: 'check-state', class: 'check-state', role: 'status', 'aria-live': 'polite' }, 'Not checked yet');
    this.diagnostics = h('ul', { id: 'diagnostics', class: 'diagnostics', 'aria-label': 'Compiler diagnostics' });
    this.message = h('p', { id: 'save-message', class: 'message', role: 'status' });
    this.saveButton = h('button', { type: 'button', id: 'script-save', class: 'primary', disabled: true, onclick: () => void this.save() }, 'Save and activate');
    const editorHost = h('div', { class: 'editor', id: 'script-editor' });
    this.versions = new VersionList({
      label: `script ${this.host}/${this.phase}`,
      versionsPath: `${this.path}/versions`,
      rollbackPath: (version) => `${this.path}/rollback?version=${version}`,
      serving: () => this.info?.version ?? null,
      text: (content) => typeof content === 'string' ? content : '',
      onRolledBack: async () => {
        await this.loadInfo();
        replaceDocument(this.view, this.info?.source ?? '');
        this.renderSummary();
      },
    });

    root.append(
      h('div', { class: 'page-head' }, h('h1', null, 'Script ', h('code', null, this.host), ' / ', h('code', null, this.phase)), h('a', { href: '#/scripts' }, '← All scripts')),
      this.summary,
      h('p', { class: 'editor-label', id: 'editor-label' }, `C# source of the ${this.phase} script (Ctrl+Space completes; Tab indents; Escape then Tab leaves; Ctrl+S saves)`),
      editorHost,
      h('div', { class: 'actions' }, this.state, h('span', { class: 'spacer' }),
        h('button', { type: 'button', class: 'danger', id: 'script-delete', onclick: () => void this.remove() }, 'Delete'),
        this.saveButton),
      this.diagnostics,
      this.message,
      this.versions.element);
    this.renderSummary();
    this.view = createScriptEditor({
      parent: editorHost,
      source: this.source,
      label: `C# source of the ${this.phase} script for ${this.host}`,
      check: (source) => this.check(source),
      onChange: (source) => { this.source = source; this.message.textContent = ''; this.updateState(); },
      save: () => void this.save(),
      completion: scriptCompletion(completionNames(this.phase)),
    });
    await this.versions.load();
  }

  async refresh(): Promise<void> {
    // Counters and compile state move with traffic and file edits; the editor's text is the user's.
    await this.loadInfo();
    this.renderSummary();
  }

  dispose(): void {
    this.view?.destroy();
  }

  private async loadInfo(): Promise<void> {
    this.info = await apiOrNull<ScriptInfo>(this.path);
  }

  private renderSummary(): void {
    const info = this.info;
    if (!info) {
      replaceChildren(this.summary, h('p', null, 'No script serves here yet: write one and save it.'));
      return;
    }
    const c = info.counters;
    replaceChildren(this.summary, h('dl', { class: 'facts-list' },
      h('dt', null, 'Serving'), h('dd', { id: 'serving-version' }, info.version === null ? 'none' : `v${info.version}`),
      h('dt', null, 'Origin'), h('dd', null, info.origin ?? '–'),
      h('dt', null, 'Since'), h('dd', null, time(info.time)),
      h('dt', null, 'Compile state'), h('dd', null, h('span', { class: `badge ${info.compile_state === 'ok' ? 'ok' : 'err'}` }, info.compile_state)),
      h('dt', null, 'Invocations'), h('dd', null, String(c.invocations)),
      h('dt', null, 'Errors'), h('dd', null, String(c.errors)),
      h('dt', null, 'Over budget'), h('dd', null, String(c.budget_exceeded)),
      h('dt', null, 'p99'), h('dd', null, `${c.p99_ms} ms`)),
    info.last_error
      ? h('p', { class: 'error' }, `The last ${info.last_error.origin} change (${time(info.last_error.time)}) did not compile: `,
        info.last_error.diagnostics.map((d) => `line ${d.line}: ${d.id} ${d.message}`).join('; '), '. The version above keeps serving.')
      : null);
  }

  private async check(source: string): Promise<Diagnostic[]> {
    this.checking = true;
    this.updateState();
    try {
      const answer = await request<{ msg?: string; diagnostics?: Diagnostic[] }>(`${this.path}?dry_run=true`, {
        method: 'POST', body: source, contentType: 'text/plain; charset=utf-8', acceptErrors: true,
      });
      const diagnostics = answer.body?.diagnostics ?? [];
      const refusal = answer.status !== 200 && !diagnostics.some((d) => d.severity === 'error') ? answer.body?.msg ?? `HTTP ${answer.status}` : undefined;
      // A late answer for text that has changed since is not this text's verdict.
      if (source === this.source) this.checked = { source, diagnostics, refusal };
      return diagnostics;
    } catch (error) {
      if (source === this.source) this.checked = { source, diagnostics: [], refusal: `could not check: ${(error as Error).message}` };
      // The shell asks for the token (and re-renders) on a 401 it sees as an unhandled rejection.
      if (error instanceof UnauthorizedError) void Promise.reject(error);
      return [];
    } finally {
      this.checking = false;
      this.updateState();
    }
  }

  private errorCount(): number {
    return this.checked?.diagnostics.filter((d) => d.severity === 'error').length ?? 0;
  }

  /** Save is on only when the text on screen is the text that was checked and it compiled. */
  private updateState(): void {
    const fresh = this.checked?.source === this.source;
    const errors = this.errorCount();
    const canSave = fresh && !this.checking && errors === 0 && !this.checked?.refusal;
    this.saveButton.disabled = !canSave;
    this.state.className = `check-state ${!fresh || this.checking ? 'pending' : canSave ? 'ok-text' : 'err-text'}`;
    this.state.textContent = this.checking || !fresh
      ? 'Checking…'
      : this.checked?.refusal
        ? `Refused: ${this.checked.refusal}`
        : errors > 0
          ? `${errors} compile error${errors === 1 ? '' : 's'}: fix ${errors === 1 ? 'it' : 'them'} to save`
          : 'Compiles: ready to save';
    if (fresh && !this.checking) this.renderDiagnostics();
  }

  private renderDiagnostics(): void {
    const list = this.checked?.diagnostics.filter((d) => d.severity !== 'hidden') ?? [];
    replaceChildren(this.diagnostics, list.map((d) => h('li', { class: `diagnostic ${d.severity}`, 'data-line': d.line },
      h('button', { type: 'button', class: 'link', onclick: () => goToDiagnostic(this.view, d) }, `Line ${d.line}, column ${d.column}`),
      ` ${d.severity} ${d.id}: ${d.message}`)));
  }

  /** Unbinds the script (stored as a version, so a rollback brings it back). */
  private async remove(): Promise<void> {
    if (!window.confirm(`Delete the ${this.phase} script of ${this.host}? Requests stop running it at once.`)) return;
    try {
      await api(this.path, { method: 'DELETE' });
      this.message.className = 'message ok-text';
      this.message.textContent = 'Deleted: no script runs here now; roll back to bring a version back.';
    } catch (error) {
      if (error instanceof UnauthorizedError) throw error;
      this.message.className = 'message error';
      this.message.textContent = `Not deleted: ${(error as Error).message}`;
    }
    await this.loadInfo();
    this.renderSummary();
    await this.versions.load();
  }

  private async save(): Promise<void> {
    if (this.saveButton.disabled) return;
    const source = this.source;
    this.saveButton.disabled = true;
    try {
      const answer = await request<{ msg?: string; version?: number; diagnostics?: Diagnostic[] }>(this.path, {
        method: 'POST', body: source, contentType: 'text/plain; charset=utf-8', acceptErrors: true,
      });
      if (answer.status === 200) {
        this.message.className = 'message ok-text';
        this.message.textContent = `Saved: version ${answer.body.version} is serving.`;
        await this.loadInfo();
        this.renderSummary();
        await this.versions.load();
      } else {
        this.checked = { source, diagnostics: answer.body?.diagnostics ?? [], refusal: answer.body?.msg };
        this.message.className = 'message error';
        this.message.textContent = `Not saved: ${answer.body?.msg ?? answer.status}`;
      }
    } finally {
      this.updateState();
    }
  }
}
