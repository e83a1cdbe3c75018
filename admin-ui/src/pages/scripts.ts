import { api, segment } from '../api';
import { h, replaceChildren } from '../dom';
import type { Page } from '../page';
import type { HostBinding, Overview, PhaseInfo, ScriptInfo } from '../types';

/**
 * A host × phase grid: every host bound in scripts.json and every host with a script, with version,
 * origin, compile state and counters per phase; a cell opens the editor. A quarantined script shows
 * a badge with why, and a button that lifts the quarantine (DELETE /script/<host>/<phase>/quarantine).
 */
export class ScriptsPage implements Page {
  readonly title = 'Scripts';
  readonly nav = 'scripts' as const;
  private grid!: HTMLElement;
  private phaseSelect!: HTMLSelectElement;

  async render(root: HTMLElement): Promise<void> {
    this.grid = h('div', { class: 'table-wrap' });
    const host = h('input', { id: 'new-script-host', required: true, placeholder: 'api.example.com, *.example.com or _', autocomplete: 'off' });
    // The phases come from the gateway's phase table with the first /scripts answer.
    const phase = h('select', { id: 'new-script-phase' });
    this.phaseSelect = phase;
    root.append(
      h('div', { class: 'page-head' }, h('h1', null, 'Scripts')),
      h('form', {
        class: 'inline-form', 'aria-label': 'Open a script',
        onsubmit: (event: Event) => {
          event.preventDefault();
          if (host.value.trim()) location.hash = `#/scripts/${segment(host.value.trim())}/${phase.value}`;
        },
      },
      h('div', { class: 'field' }, h('label', { for: host.id }, 'Host pattern'), host),
      h('div', { class: 'field' }, h('label', { for: phase.id }, 'Phase'), phase),
      h('button', { type: 'submit', class: 'primary' }, 'Open editor')),
      this.grid);
    await this.refresh();
  }

  async refresh(): Promise<void> {
    const [{ scripts, phases: phaseTable }, overview] = await Promise.all([api<{ scripts: ScriptInfo[]; phases: PhaseInfo[] }>('/scripts'), api<Overview>('/overview')]);
    const phases = phaseTable.map((p) => p.name);
    if (this.phaseSelect.options.length === 0) {
      this.phaseSelect.append(...phaseTable.map((p) => h('option', { value: p.name, title: p.runs }, p.name)));
    }
    const bindings = new Map<string, HostBinding>(overview.hosts.map((binding) => [binding.pattern, binding]));
    const hosts = [...new Set([...bindings.keys(), ...scripts.map((s) => s.host)])].sort();
    if (hosts.length === 0) {
      replaceChildren(this.grid, h('p', null, 'No scripts yet: open the editor for a host above, or save a file under Scripts/<host>/<phase>.csx.'));
      return;
    }

    const focused = document.activeElement?.id;
    replaceChildren(this.grid, h('table', { class: 'script-grid' },
      h('caption', null, 'Scripts by host and phase'),
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Host'), phases.map((p) => h('th', { scope: 'col' }, p)))),
      h('tbody', null, hosts.map((host) => h('tr', { 'data-host': host },
        h('th', { scope: 'row' }, host, hostNote(bindings.get(host))),
        phaseTable.map((phase) => h('td', { 'data-phase': phase.name }, appliesTo(host, phase)
          ? this.cellWithActions(host, phase.name, scripts.find((s) => s.host === host && s.phase === phase.name))
          : h('span', { class: 'muted', title: host.startsWith('stream:') ? 'a stream listener has the preread phase only' : 'for stream listeners (stream:<port>)' }, '–'))))))));
    if (focused) document.getElementById(focused)?.focus();
  }

  // The lift button sits beside the cell's link: a button inside a link is not valid HTML.
  private cellWithActions(host: string, phase: string, script: ScriptInfo | undefined): HTMLElement[] {
    const link = cell(host, phase, script);
    if (!script?.quarantined) return [link];
    const message = h('span', { class: 'message', role: 'status', id: `lift-message-${host}-${phase}` });
    const lift = h('button', {
      type: 'button', id: `lift-${host}-${phase}`, class: 'small',
      onclick: async () => {
        lift.setAttribute('disabled', '');
        try {
          await api(`/script/${segment(host)}/${phase}/quarantine`, { method: 'DELETE' });
          await this.refresh();
        } catch (error) {
          message.textContent = error instanceof Error ? error.message : String(error);
          lift.removeAttribute('disabled');
        }
      },
    }, 'Lift quarantine');
    return [link, h('div', { class: 'cell-actions' }, lift, message)];
  }
}

function hostNote(binding: HostBinding | undefined): HTMLElement {
  if (!binding) return h('div', { class: 'muted' }, 'not in scripts.json');
  const notes = [`upstream ${binding.upstream ?? '(named after the host)'}`];
  if (binding.trusted) notes.push('trusted');
  if (binding.budget_ms !== null) notes.push(`budget ${binding.budget_ms} ms`);
  if (binding.budget_mb !== null) notes.push(`${binding.budget_mb} MiB`);
  return h('div', { class: 'muted' }, notes.join(' · '));
}

function cell(host: string, phase: string, script: ScriptInfo | undefined): HTMLElement {
  const href = `#/scripts/${segment(host)}/${phase}`;
  const id = `script-${host}-${phase}`;
  if (!script) return h('a', { href, id, class: 'empty-cell', 'aria-label': `Add ${phase} script for ${host}` }, '+ add');
  const state = script.compile_state;
  const c = script.counters;
  const quarantine = script.quarantined ? ', quarantined' : '';
  return h('a', { href, id, class: 'script-cell', 'aria-label': `${phase} script for ${host}: version ${script.version ?? 'none'}, compile ${state}${quarantine}` },
    h('span', { class: 'cell-head' },
      h('strong', null, script.version === null ? 'not serving' : `v${script.version}`),
      h('span', { class: `badge ${state === 'ok' ? 'ok' : state === 'error' ? 'err' : 'warn'}` }, state === 'ok' ? 'compiled' : state === 'error' ? 'compile error' : 'unknown'),
      script.quarantined
        ? h('span', { class: 'badge err quarantined', title: `since ${script.quarantined.since}: ${script.quarantined.failures} budget overruns, last: ${script.quarantined.reason}` }, 'quarantined')
        : null,
      script.origin ? h('span', { class: 'muted' }, script.origin) : null),
    h('dl', { class: 'counters' },
      h('dt', null, 'calls'), h('dd', null, String(c.invocations)),
      h('dt', null, 'errors'), h('dd', { class: c.errors > 0 ? 'err-text' : '' }, String(c.errors)),
      h('dt', null, 'over budget'), h('dd', { class: c.budget_exceeded > 0 ? 'err-text' : '' }, String(c.budget_exceeded)),
      h('dt', null, 'runaways'), h('dd', { class: c.runaways > 0 ? 'err-text' : '' }, String(c.runaways)),
      h('dt', null, 'p99'), h('dd', null, `${c.p99_ms} ms`)));
}

/** A stream listener (stream:<port>) has the connection-stage phase only; a host every other one. */
function appliesTo(host: string, phase: PhaseInfo): boolean {
  return host.startsWith('stream:') === (phase.stage === 'connection');
}
