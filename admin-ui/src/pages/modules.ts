import { api, segment } from '../api';
import { h, replaceChildren } from '../dom';
import { time } from '../format';
import type { Page } from '../page';
import type { ModuleInfo } from '../types';

/** Valid module names (ScriptModule.IsValidName): checked here too so a typo is named before the editor opens. */
export const moduleNamePattern = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** Every stored module with its version, origin and the scripts compiled with it; a row opens the module's editor. */
export class ModulesPage implements Page {
  readonly title = 'Modules';
  readonly nav = 'modules' as const;
  private list!: HTMLElement;
  // What the list shows: a poll that changes nothing leaves the DOM (and the keyboard focus) alone.
  private shown = '';

  async render(root: HTMLElement): Promise<void> {
    this.list = h('div', { class: 'table-wrap' });
    const name = h('input', { id: 'new-module-name', required: true, placeholder: 'acme.auth', autocomplete: 'off', pattern: moduleNamePattern.source });
    const error = h('span', { class: 'field-error', id: 'new-module-error', role: 'alert' });
    root.append(
      h('div', { class: 'page-head' }, h('h1', null, 'Modules')),
      h('p', { class: 'muted' }, 'C# shared by scripts: a script uses a module by its namespace or type (using Acme.Auth;). A change recompiles every script using it, or is refused with their diagnostics.'),
      h('form', {
        class: 'inline-form', 'aria-label': 'Open a module', novalidate: true,
        onsubmit: (event: Event) => {
          event.preventDefault();
          const value = name.value.trim();
          if (moduleNamePattern.test(value)) location.hash = `#/modules/${segment(value)}`;
          else error.textContent = 'lower-case letters, digits, ".", "-", "_"; up to 64';
        },
      },
      h('div', { class: 'field' }, h('label', { for: name.id }, 'Module name'), name, error),
      h('button', { type: 'submit', class: 'primary' }, 'Open editor')),
      this.list);
    await this.refresh();
  }

  async refresh(): Promise<void> {
    const { modules } = await api<{ modules: ModuleInfo[] }>('/modules');
    const shown = JSON.stringify(modules);
    if (shown === this.shown) return;
    this.shown = shown;
    if (modules.length === 0) {
      replaceChildren(this.list, h('p', null, 'No modules yet: open the editor for a new name above, or save a file under Scripts/_modules/<name>.cs.'));
      return;
    }

    replaceChildren(this.list, h('table', { class: 'module-list' },
      h('caption', null, 'Modules and the scripts using them'),
      h('thead', null, h('tr', null, ...['Module', 'Version', 'Origin', 'Since', 'Used by'].map((title) => h('th', { scope: 'col' }, title)))),
      h('tbody', null, modules.map((module) => h('tr', { 'data-module': module.name },
        h('th', { scope: 'row' }, h('a', { href: `#/modules/${segment(module.name)}` }, module.name), h('div', { class: 'muted' }, module.file)),
        h('td', null, `v${module.version}`),
        h('td', null, module.origin),
        h('td', null, time(module.time)),
        h('td', { class: 'users' }, module.users.length === 0 ? h('span', { class: 'muted' }, 'no script') : usersList(module.users)))))));
  }
}

/** Script names ("host/phase") as links to their editors. */
export function usersList(users: string[]): HTMLElement {
  return h('ul', { class: 'plain-list' }, users.map((user) => h('li', null, scriptLink(user))));
}

export function scriptLink(script: string): HTMLElement {
  const slash = script.lastIndexOf('/');
  const [host, phase] = slash < 0 ? [script, 'rewrite'] : [script.slice(0, slash), script.slice(slash + 1)];
  return h('a', { href: `#/scripts/${segment(host)}/${segment(phase)}` }, script);
}
