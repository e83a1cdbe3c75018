import type { EditorView } from '@codemirror/view';
import { apiOrNull, request, segment, UnauthorizedError } from '../api';
import { h, replaceChildren } from '../dom';
import { createScriptEditor, goToDiagnostic, replaceDocument } from '../editor';
import { time } from '../format';
import type { Page } from '../page';
import type { Diagnostic, ModuleDependent, ModuleInfo } from '../types';
import { VersionList } from '../versions';
import { scriptLink, usersList } from './modules';

/** What POST /module/<name> answers, accepted or refused. */
interface ModuleAnswer {
  msg?: string;
  version?: number;
  diagnostics?: Diagnostic[];
  dependents?: ModuleDependent[];
  recompiled?: string[];
  users?: string[];
}

interface CheckResult {
  source: string;
  answer: ModuleAnswer;
  accepted: boolean;
}

const starter = '// Declarations only: a namespace of your own, classes, record structs, static helpers.\nnamespace Acme.Example;\n\npublic static class Helpers\n{\n}\n';

/**
 * One module: its C# editor checked with ?dry_run=true as the user types (the module's own findings
 * at their lines, and the scripts a change would break with theirs), Save, Delete (refused while
 * scripts use it, naming them) and the versions with diff and rollback.
 */
export class ModuleEditorPage implements Page {
  readonly title: string;
  readonly nav = 'modules' as const;
  private info: ModuleInfo | null = null;
  private view?: EditorView;
  private checked?: CheckResult;
  private checking = false;
  private source = '';
  private summary!: HTMLElement;
  private state!: HTMLElement;
  private diagnostics!: HTMLElement;
  private dependents!: HTMLElement;
  private saveButton!: HTMLButtonElement;
  private message!: HTMLElement;
  private versions!: VersionList;

  constructor(private readonly name: string) {
    this.title = `Module ${name}`;
  }

  private get path(): string {
    return `/module/${segment(this.name)}`;
  }

  /** The file name the compiler gives findings inside this module. */
  private get file(): string {
    return `_modules/${this.name}.cs`;
  }

  async render(root: HTMLElement): Promise<void> {
    await this.loadInfo();
    this.source = this.info?.source ?? starter;
    this.summary = h('div', { class: 'summary' });
    this.state = h('p', { id: 'check-state', class: 'check-state', role: 'status', 'aria-live': 'polite' }, 'Not checked yet');
    this.diagnostics = h('ul', { id: 'diagnostics', class: 'diagnostics', 'aria-label': 'Compiler diagnostics' });
    this.dependents = h('section', { id: 'dependents', 'aria-live': 'polite' });
    this.message = h('div', { id: 'save-message', class: 'message', role: 'status' });
    this.saveButton = h('button', { type: 'button', id: 'module-save', class: 'primary', disabled: true, onclick: () => void this.save() }, 'Save and recompile users');
    const editorHost = h('div', { class: 'editor', id: 'module-editor' });
    this.versions = new VersionList({
      label: `module ${this.name}`,
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
      h('div', { class: 'page-head' }, h('h1', null, 'Module ', h('code', null, this.name)), h('a', { href: '#/modules' }, '← All modules')),
      this.summary,
      h('p', { class: 'editor-label' }, `C# source of module ${this.name} (Tab indents; Escape then Tab leaves; Ctrl+S saves)`),
      editorHost,
      h('div', { class: 'actions' }, this.state, h('span', { class: 'spacer' }),
        h('button', { type: 'button', class: 'danger', id: 'module-delete', onclick: () => void this.remove() }, 'Delete'),
        this.saveButton),
      this.diagnostics,
      this.dependents,
      this.message,
      this.versions.element);
    this.renderSummary();
    this.view = createScriptEditor({
      parent: editorHost,
      source: this.source,
      label: `C# source of module ${this.name}`,
      check: (source) => this.check(source),
      onChange: (source) => { this.source = source; replaceChildren(this.message); this.updateState(); },
      save: () => void this.save(),
    });
    await this.versions.load();
  }

  async refresh(): Promise<void> {
    // Users change as scripts are saved elsewhere; the editor's text is the user's.
    const before = JSON.stringify(this.info);
    await this.loadInfo();
    if (JSON.stringify(this.info) !== before) this.renderSummary();
  }

  dispose(): void {
    this.view?.destroy();
  }

  private async loadInfo(): Promise<void> {
    this.info = await apiOrNull<ModuleInfo>(this.path);
  }

  private renderSummary(): void {
    const info = this.info;
    if (!info) {
      replaceChildren(this.summary, h('p', null, 'No such module yet: write one and save it.'));
      return;
    }
    replaceChildren(this.summary, h('dl', { class: 'facts-list' },
      h('dt', null, 'Serving'), h('dd', { id: 'serving-version' }, `v${info.version}`),
      h('dt', null, 'Origin'), h('dd', null, info.origin),
      h('dt', null, 'Since'), h('dd', null, time(info.time)),
      h('dt', null, 'File'), h('dd', null, h('code', null, info.file)),
      h('dt', null, 'Used by'), h('dd', { id: 'module-users' }, info.users.length === 0 ? 'no script' : usersList(info.users))));
  }

  private async post(source: string, dryRun: boolean): Promise<{ status: number; body: ModuleAnswer }> {
    const answer = await request<ModuleAnswer>(`${this.path}${dryRun ? '?dry_run=true' : ''}`, {
      method: 'POST', body: source, contentType: 'text/plain; charset=utf-8', acceptErrors: true,
    });
    return { status: answer.status, body: answer.body ?? {} };
  }

  private async check(source: string): Promise<Diagnostic[]> {
    this.checking = true;
    this.updateState();
    try {
      const answer = await this.post(source, true);
      // A late answer for text that has changed since is not this text's verdict.
      if (source === this.source) this.checked = { source, answer: answer.body, accepted: answer.status === 200 };
      return this.ownFindings(answer.body);
    } catch (error) {
      if (source === this.source) this.checked = { source, answer: { msg: `could not check: ${(error as Error).message}` }, accepted: false };
      if (error instanceof UnauthorizedError) void Promise.reject(error);
      return [];
    } finally {
      this.checking = false;
      this.updateState();
    }
  }

  /** Findings in this module's lines: its own, and those a dependent's compile found inside it. */
  private ownFindings(answer: ModuleAnswer): Diagnostic[] {
    const inDependents = (answer.dependents ?? []).flatMap((d) => d.diagnostics.filter((x) => x.file === this.file));
    return [...(answer.diagnostics ?? []), ...inDependents];
  }

  /** Save is on only when the text on screen is the text that was checked and the dry run accepted it. */
  private updateState(): void {
    const fresh = this.checked?.source === this.source;
    const answer = this.checked?.answer;
    const errors = answer ? this.ownFindings(answer).filter((d) => d.severity === 'error').length : 0;
    const broken = answer?.dependents?.length ?? 0;
    const canSave = fresh && !this.checking && this.checked?.accepted === true;
    this.saveButton.disabled = !canSave;
    this.state.className = `check-state ${!fresh || this.checking ? 'pending' : canSave ? 'ok-text' : 'err-text'}`;
    this.state.textContent = this.checking || !fresh
      ? 'Checking…'
      : canSave
        ? `Compiles: ready to save${answer?.recompiled?.length ? ` (recompiles ${answer.recompiled.join(', ')})` : ''}`
        : broken > 0
          ? `Would break ${broken} script${broken === 1 ? '' : 's'}: see below`
          : errors > 0
            ? `${errors} compile error${errors === 1 ? '' : 's'}: fix ${errors === 1 ? 'it' : 'them'} to save`
            : `Refused: ${answer?.msg ?? 'unknown'}`;
    if (fresh && !this.checking && answer) this.renderFindings(answer);
  }

  private renderFindings(answer: ModuleAnswer): void {
    replaceChildren(this.diagnostics, (answer.diagnostics ?? []).filter((d) => d.severity !== 'hidden').map((d) => this.finding(d)));
    const dependents = answer.dependents ?? [];
    replaceChildren(this.dependents, dependents.length === 0 ? null : [
      h('h2', null, 'Scripts this change would break'),
      h('ul', { class: 'dependents' }, dependents.map((dependent) => h('li', { 'data-script': dependent.script },
        h('h3', null, scriptLink(dependent.script)),
        h('ul', { class: 'diagnostics' }, dependent.diagnostics.filter((d) => d.severity !== 'hidden').map((d) => this.finding(d, dependent.script)))))),
    ]);
  }

  // A finding in this module moves the cursor there; one in a script's own lines names the script's line.
  private finding(d: Diagnostic, script?: string): HTMLElement {
    const here = d.file === undefined ? script === undefined : d.file === this.file;
    const where = `Line ${d.line}, column ${d.column}`;
    return h('li', { class: `diagnostic ${d.severity}`, 'data-line': d.line, 'data-file': d.file ?? script ?? '' },
      here ? h('button', { type: 'button', class: 'link', onclick: () => goToDiagnostic(this.view, d) }, where) : h('span', null, `${d.file ?? script}: ${where}`),
      ` ${d.severity} ${d.id}: ${d.message}`);
  }

  private async remove(): Promise<void> {
    if (!window.confirm(`Delete module ${this.name}? It is kept as a version, so a rollback brings it back.`)) return;
    try {
      const answer = await request<ModuleAnswer>(this.path, { method: 'DELETE', acceptErrors: true });
      if (answer.status === 200) {
        this.message.className = 'message ok-text';
        replaceChildren(this.message, 'Deleted: roll back to bring a version back.');
      } else {
        this.message.className = 'message error';
        replaceChildren(this.message, `Not deleted: ${answer.body?.msg ?? answer.status}`,
          answer.body?.users?.length ? h('div', { class: 'users' }, 'Used by: ', usersList(answer.body.users)) : null);
      }
    } catch (error) {
      if (error instanceof UnauthorizedError) throw error;
      this.message.className = 'message error';
      replaceChildren(this.message, `Not deleted: ${(error as Error).message}`);
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
      const answer = await this.post(source, false);
      this.checked = { source, answer: answer.body, accepted: answer.status === 200 };
      if (answer.status === 200) {
        const recompiled = answer.body.recompiled ?? [];
        this.message.className = 'message ok-text';
        replaceChildren(this.message, `Saved: version ${answer.body.version} is serving${recompiled.length ? `; recompiled ${recompiled.join(', ')}` : ''}.`);
        await this.loadInfo();
        this.renderSummary();
        await this.versions.load();
      } else {
        this.message.className = 'message error';
        replaceChildren(this.message, `Not saved: ${answer.body.msg ?? answer.status}`);
      }
    } finally {
      this.updateState();
    }
  }
}
