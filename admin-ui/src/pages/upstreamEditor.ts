import { api, ApiError, segment, UnauthorizedError } from '../api';
import { h, replaceChildren, uid } from '../dom';
import type { Page } from '../page';
import type { LevelConfig, ServerConfig, UpstreamConfig } from '../types';
import { VersionList } from '../versions';

const modes = ['rr', 'hash', 'url_hash', 'ip_hash', 'header_hash', 'least_conn', 'ewma'];
const checkTypes = ['general', 'http', 'redis', 'mysql'];
const serverFields: Array<{ key: keyof ServerConfig & string; label: string; numeric: boolean }> = [
  { key: 'host', label: 'Host', numeric: false },
  { key: 'port', label: 'Port', numeric: true },
  { key: 'weight', label: 'Weight', numeric: true },
  { key: 'max_fails', label: 'Max fails', numeric: true },
  { key: 'fail_timeout', label: 'Fail timeout (s)', numeric: true },
];
const namePattern = /^[-_a-zA-Z0-9.]+$/;

interface LevelModel {
  name: string | null;
  extra: Record<string, unknown>;
  servers: ServerConfig[];
}

/**
 * Add or edit an upstream: servers and weights per level, levels, mode, health-check type and the
 * retry fields. Fields the form does not show (outlier, http statuses, ...) are kept as they are.
 * The body goes to POST /upstream/&lt;name&gt; as curl would send it; the API's message is shown
 * next to the field it names.
 */
export class UpstreamEditorPage implements Page {
  readonly title: string;
  readonly nav = 'upstreams' as const;
  private original: UpstreamConfig = {};
  private levels: LevelModel[] = [];
  private form!: HTMLFormElement;
  private levelsHost!: HTMLElement;
  private formError!: HTMLElement;
  private versions?: VersionList;

  constructor(private readonly name: string | null) {
    this.title = name ? `Upstream ${name}` : 'New upstream';
  }

  async render(root: HTMLElement): Promise<void> {
    if (this.name) {
      this.original = await api<UpstreamConfig>(`/upstream/${segment(this.name)}`);
    } else {
      this.original = { cluster: [{ servers: [{ host: '127.0.0.1', port: 8081, weight: 1, max_fails: 1, fail_timeout: 10 }] }] };
    }
    this.levels = toLevels(this.original);

    this.formError = h('p', { class: 'error', role: 'alert', id: 'form-error' });
    this.levelsHost = h('div', { class: 'levels' });
    this.form = h('form', { class: 'editor-form', novalidate: true, onsubmit: (event: Event) => { event.preventDefault(); void this.save(); } },
      field('Name', h('input', {
        id: 'upstream-name', name: 'name', 'data-field': 'name', required: true, value: this.name ?? '',
        readonly: this.name !== null, autocomplete: 'off', 'aria-describedby': 'name-help',
      }), h('small', { id: 'name-help' }, 'Letters, digits, "-", "_" and "."; an upstream named after a host serves that host.')),
      h('div', { class: 'row' },
        field('Balancing mode', select('upstream-mode', 'mode', modes, this.original.mode ?? 'rr')),
        field('Health check', select('upstream-typ', 'typ', checkTypes, this.original.typ ?? 'general')),
        h('div', { class: 'field checkbox' },
          h('input', { type: 'checkbox', id: 'upstream-enable', 'data-field': 'enable', checked: this.original.enable !== false }),
          h('label', { for: 'upstream-enable' }, 'Active checks on'))),
      field('HTTP check request', h('textarea', {
        id: 'upstream-http-query', 'data-field': 'http_opts.query', rows: 2, value: this.original.http_opts?.query ?? '',
        placeholder: 'GET /health HTTP/1.0\\r\\nHost: example\\r\\n\\r\\n',
      })),
      h('div', { class: 'row' },
        numberField('Tries', 'upstream-try', 'try', this.original.try),
        numberField('Try timeout (s)', 'upstream-try-timeout', 'try_timeout', this.original.try_timeout),
        numberField('Connect/check timeout (s)', 'upstream-timeout', 'timeout', this.original.timeout),
        field('Next upstream', h('input', { id: 'upstream-next', 'data-field': 'next_upstream', value: this.original.next_upstream ?? '', placeholder: 'error timeout http_502' }))),
      this.levelsHost,
      h('div', { class: 'actions' },
        h('button', { type: 'button', onclick: () => this.addLevel() }, 'Add level'),
        h('span', { class: 'spacer' }),
        h('a', { class: 'button', href: '#/upstreams' }, 'Cancel'),
        h('button', { type: 'submit', class: 'primary', id: 'upstream-save' }, this.name ? 'Save' : 'Create')),
      this.formError);
    this.renderLevels();
    this.showHttpOptions();
    this.form.querySelector('#upstream-typ')?.addEventListener('change', () => this.showHttpOptions());

    root.append(h('div', { class: 'page-head' }, h('h1', null, this.title), h('a', { href: '#/upstreams' }, '← All upstreams')), this.form);
    if (this.name) {
      const name = this.name;
      this.versions = new VersionList({
        label: `upstream ${name}`,
        versionsPath: `/upstream/${segment(name)}/versions`,
        rollbackPath: (version) => `/upstream/${segment(name)}/rollback?version=${version}`,
        // An upstream serves its latest stored version (a rollback stores a new one).
        serving: () => this.versions?.latest ?? null,
        text: (content) => JSON.stringify(content, null, 2),
        onRolledBack: async (version) => {
          root.replaceChildren();
          await this.render(root);
          this.formError.className = 'ok-text';
          this.formError.textContent = `Rolled back: version ${version} is serving.`;
        },
      });
      root.append(this.versions.element);
      await this.versions.load();
    }
    (this.name ? document.getElementById('upstream-mode') : document.getElementById('upstream-name'))?.focus();
  }

  /** The raw HTTP request only matters to the http check. */
  private showHttpOptions(): void {
    const http = (this.form.querySelector('#upstream-typ') as HTMLSelectElement).value === 'http';
    (this.form.querySelector('#upstream-http-query') as HTMLElement).parentElement!.hidden = !http;
  }

  private renderLevels(): void {
    const named = this.levels.some((level) => level.name !== null);
    replaceChildren(this.levelsHost, this.levels.map((level, index) => {
      const levelPath = named ? `cluster.${level.name}` : `cluster[${index}]`;
      const legend = named ? `Level ${index + 1}: ${level.name}` : `Level ${index + 1}`;
      return h('fieldset', { class: 'level', 'data-field': levelPath, 'data-level': index },
        h('legend', null, legend),
        h('div', { class: 'table-wrap' }, h('table', { class: 'servers' },
          h('thead', null, h('tr', null, serverFields.map((f) => h('th', { scope: 'col' }, f.label)), h('th', null, h('span', { class: 'visually-hidden' }, 'Remove')))),
          h('tbody', null, level.servers.map((server, row) => {
            const serverPath = `${levelPath}.servers[${row}]`;
            return h('tr', { 'data-field': serverPath },
              serverFields.map((f) => h('td', null, h('input', {
                'data-field': `${serverPath}.${f.key}`,
                'data-key': f.key,
                'aria-label': `${legend}, server ${row + 1}, ${f.label}`,
                inputmode: f.numeric ? 'decimal' : 'text',
                class: f.numeric ? 'num' : '',
                value: server[f.key] === undefined ? '' : String(server[f.key]),
              }))),
              h('td', null, h('button', {
                type: 'button', class: 'icon', 'aria-label': `Remove server ${row + 1} of ${legend}`,
                onclick: () => { this.sync(); level.servers.splice(row, 1); this.renderLevels(); },
              }, '✕')));
          })))),
        h('div', { class: 'actions' },
          h('button', { type: 'button', onclick: () => { this.sync(); level.servers.push({ host: '', port: 0, weight: 1 }); this.renderLevels(); this.focusLast(index); } }, 'Add server'),
          this.levels.length > 1
            ? h('button', { type: 'button', class: 'danger', onclick: () => { this.sync(); this.levels.splice(index, 1); this.renderLevels(); } }, 'Remove level')
            : null));
    }));
  }

  private focusLast(level: number): void {
    const inputs = this.levelsHost.querySelectorAll<HTMLInputElement>(`fieldset[data-level="${level}"] tbody tr:last-child input`);
    inputs[0]?.focus();
  }

  private addLevel(): void {
    this.sync();
    const named = this.levels.some((level) => level.name !== null);
    this.levels.push({ name: named ? `level${this.levels.length + 1}` : null, extra: {}, servers: [{ host: '', port: 0, weight: 1 }] });
    this.renderLevels();
    this.focusLast(this.levels.length - 1);
  }

  /** Reads the server inputs back into the model (before a re-render and before saving). */
  private sync(): void {
    for (const fieldset of this.levelsHost.querySelectorAll<HTMLElement>('fieldset[data-level]')) {
      const level = this.levels[Number(fieldset.dataset.level)];
      fieldset.querySelectorAll('tbody tr').forEach((row, index) => {
        const server: ServerConfig = { ...level.servers[index] };
        for (const input of row.querySelectorAll<HTMLInputElement>('input[data-key]')) {
          const key = input.dataset.key!;
          const numeric = serverFields.find((f) => f.key === key)!.numeric;
          const value = input.value.trim();
          if (value === '') delete server[key];
          else server[key] = numeric ? numberOrText(value) : value;
        }
        level.servers[index] = server;
      });
    }
  }

  private body(): UpstreamConfig {
    this.sync();
    const body: UpstreamConfig = structuredClone(this.original);
    delete body.servers;
    const named = this.levels.some((level) => level.name !== null);
    body.cluster = named
      ? Object.fromEntries(this.levels.map((level) => [level.name!, { ...level.extra, servers: level.servers } as LevelConfig]))
      : this.levels.map((level) => ({ ...level.extra, servers: level.servers }));

    const value = (id: string) => (document.getElementById(id) as HTMLInputElement).value.trim();
    const mode = value('upstream-mode');
    if (mode === 'rr' && this.original.mode === undefined) delete body.mode;
    else body.mode = mode;
    body.typ = value('upstream-typ');
    body.enable = (document.getElementById('upstream-enable') as HTMLInputElement).checked;
    setOptional(body, 'try', value('upstream-try'), true);
    setOptional(body, 'try_timeout', value('upstream-try-timeout'), true);
    setOptional(body, 'timeout', value('upstream-timeout'), true);
    setOptional(body, 'next_upstream', value('upstream-next'), false);
    const query = (document.getElementById('upstream-http-query') as HTMLTextAreaElement).value;
    if (query.trim() === '') {
      if (body.http_opts) delete body.http_opts.query;
      if (body.http_opts && Object.keys(body.http_opts).length === 0) delete body.http_opts;
    } else {
      // Typed as the README writes it, with \r\n escapes; sent as the real characters.
      body.http_opts = { ...body.http_opts, query: query.replace(/\\r/g, '\r').replace(/\\n/g, '\n') };
    }
    return body;
  }

  private async save(): Promise<void> {
    this.clearErrors();
    const name = (document.getElementById('upstream-name') as HTMLInputElement).value.trim();
    if (!namePattern.test(name)) {
      this.showError('name', 'name: must match ^[-_a-zA-Z0-9.]+$ (letters, digits, "-", "_", ".")');
      return;
    }

    try {
      const answer = await api<{ version: number }>(`/upstream/${segment(name)}`, { method: 'POST', body: JSON.stringify(this.body()) });
      if (this.name) {
        this.formError.className = 'ok-text';
        this.formError.textContent = `Saved: version ${answer.version} is serving.`;
        this.original = await api<UpstreamConfig>(`/upstream/${segment(name)}`);
        await this.versions?.load();
      } else {
        location.hash = `#/upstreams/${segment(name)}`;
      }
    } catch (error) {
      if (error instanceof UnauthorizedError) throw error;
      this.showApiError(error instanceof ApiError ? error.message : String(error));
    }
  }

  private clearErrors(): void {
    this.formError.textContent = '';
    this.formError.className = 'error';
    for (const element of this.form.querySelectorAll('.field-error')) element.remove();
    for (const element of this.form.querySelectorAll('[aria-invalid]')) element.removeAttribute('aria-invalid');
  }

  /** The API names the field first ("cluster[0].servers[1].port: must be ..."): put the message there. */
  private showApiError(message: string): void {
    const match = /^([A-Za-z_][\w.[\]-]*)(?::| invalid)/.exec(message);
    let path = match?.[1];
    while (path) {
      if (this.showError(path, message)) return;
      const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
      path = cut > 0 ? path.slice(0, cut) : undefined;
    }
    this.formError.textContent = message;
  }

  private showError(path: string, message: string): boolean {
    const target = this.form.querySelector<HTMLElement>(`[data-field="${CSS.escape(path)}"]`);
    if (!target) return false;
    const id = uid('error');
    const note = h('span', { class: 'field-error', id, role: 'alert' }, message);
    const input = target.matches('input, select, textarea') ? target : target.querySelector<HTMLElement>('input, select, textarea');
    if (target.tagName === 'TR') {
      target.after(h('tr', { class: 'field-error' }, h('td', { colspan: serverFields.length + 1 }, note)));
    } else if (target.tagName === 'FIELDSET') {
      target.append(note);
    } else {
      target.after(note);
    }
    input?.setAttribute('aria-invalid', 'true');
    input?.setAttribute('aria-describedby', id);
    input?.focus();
    return true;
  }
}

function toLevels(config: UpstreamConfig): LevelModel[] {
  if (config.servers) return [{ name: null, extra: {}, servers: config.servers.map((s) => ({ ...s })) }];
  if (Array.isArray(config.cluster)) return config.cluster.map(({ servers, ...extra }) => ({ name: null, extra, servers: servers.map((s) => ({ ...s })) }));
  return Object.entries(config.cluster ?? {}).map(([name, { servers, ...extra }]) => ({ name, extra, servers: servers.map((s) => ({ ...s })) }));
}

function numberOrText(value: string): number | string {
  // A number when it reads as one; otherwise sent as typed, so the API names the field.
  return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
}

function setOptional(body: UpstreamConfig, key: string, value: string, numeric: boolean): void {
  if (value === '') delete body[key];
  else body[key] = numeric ? numberOrText(value) : value;
}

function field(label: string, control: HTMLElement, ...help: HTMLElement[]): HTMLElement {
  const id = control.id || uid('field');
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, help);
}

function numberField(label: string, id: string, key: string, value: number | undefined): HTMLElement {
  return field(label, h('input', { id, 'data-field': key, inputmode: 'decimal', class: 'num', value: value === undefined ? '' : String(value), placeholder: 'default' }));
}

function select(id: string, key: string, options: string[], value: string): HTMLSelectElement {
  const all = options.includes(value) ? options : [...options, value];
  return h('select', { id, 'data-field': key }, all.map((option) => h('option', { value: option, selected: option === value }, option)));
}
