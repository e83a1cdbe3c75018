import { api, segment, UnauthorizedError } from '../api';
import { h, replaceChildren } from '../dom';
import { time } from '../format';
import type { Page } from '../page';
import type { CertificateInfo, CertificateList } from '../types';
import { VersionList } from '../versions';

const namePattern = /^[-_a-zA-Z0-9.]+$/;

/**
 * TLS certificates: what serves which hosts, until when (expiry within 14 days stands out); a form
 * that posts a pasted PEM chain and key for some hosts (POST /cert/<name>, the same name replaces),
 * and History (versions, diff, rollback) and Delete per certificate the API manages. Keys go in and are
 * never shown (the API never returns them, versions included).
 */
export class CertificatesPage implements Page {
  readonly title = 'Certificates';
  readonly nav = 'certificates' as const;
  private table!: HTMLElement;
  private errors!: HTMLElement;
  private message!: HTMLElement;
  private form!: HTMLFormElement;
  private history!: HTMLElement;
  private historyOf: string | null = null;

  async render(root: HTMLElement): Promise<void> {
    this.table = h('div', { class: 'table-wrap' });
    this.errors = h('div', null);
    this.message = h('p', { class: 'message', role: 'status', id: 'certificate-message' });
    this.history = h('div', { id: 'certificate-history' });
    this.form = h('form', { class: 'editor-form', id: 'certificate-form', novalidate: true, onsubmit: (event: Event) => { event.preventDefault(); void this.save(); } },
      h('div', { class: 'row' },
        field('Name', h('input', { id: 'certificate-name', required: true, autocomplete: 'off', 'aria-describedby': 'certificate-name-help' }),
          h('small', { id: 'certificate-name-help' }, 'Letters, digits, "-", "_" and "."; posting an existing name replaces it.')),
        field('Hosts', h('input', { id: 'certificate-hosts', required: true, autocomplete: 'off', placeholder: 'a.example.com, *.b.example.com, _', 'aria-describedby': 'certificate-hosts-help' }),
          h('small', { id: 'certificate-hosts-help' }, 'Comma-separated: exact names, one-label wildcards, "_" for the default.'))),
      field('Certificate chain (PEM, leaf first)', h('textarea', { id: 'certificate-cert', rows: 6, spellcheck: false, placeholder: '-----BEGIN CERTIFICATE-----' })),
      field('Private key (PEM, not encrypted)', h('textarea', { id: 'certificate-key', rows: 4, spellcheck: false, autocomplete: 'off', placeholder: '-----BEGIN PRIVATE KEY-----' })),
      h('div', { class: 'actions' },
        h('span', { class: 'spacer' }),
        h('button', { type: 'submit', class: 'primary', id: 'certificate-save' }, 'Save certificate')));
    root.append(
      h('h1', null, 'Certificates'),
      h('p', { class: 'muted' }, 'A change applies to the next TLS handshake; the key is stored sealed and never shown again.'),
      this.errors,
      this.message,
      h('section', { class: 'card', 'aria-labelledby': 'certificates-title' }, h('h2', { id: 'certificates-title' }, 'Serving'), this.table),
      this.history,
      h('section', { class: 'card', 'aria-labelledby': 'certificate-add-title' }, h('h2', { id: 'certificate-add-title' }, 'Add or replace'), this.form));
    await this.refresh();
  }

  async refresh(): Promise<void> {
    const list = await api<CertificateList>('/certs');
    const failed = Object.entries(list.errors);
    replaceChildren(this.errors, failed.length === 0 ? null : h('section', { class: 'card', id: 'certificate-errors' },
      h('h2', null, 'Not loaded'),
      h('ul', null, failed.map(([name, error]) => h('li', null, h('code', null, name), ': ', h('span', { class: 'err-text' }, error))))));
    if (list.certificates.length === 0) {
      replaceChildren(this.table, h('p', null, 'No certificates yet.'));
      return;
    }
    replaceChildren(this.table, h('table', { id: 'certificates' },
      h('caption', { class: 'visually-hidden' }, 'TLS certificates'),
      h('thead', null, h('tr', null, ['Name', 'Hosts', 'Subject', 'Names (SAN)', 'Expires', 'Origin', 'Actions'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, list.certificates.map((c) => h('tr', { 'data-certificate': c.name },
        h('td', null, h('code', null, c.name)),
        h('td', null, c.hosts.join(', ')),
        h('td', null, c.subject),
        h('td', null, c.sans.join(', ') || '–'),
        h('td', null,
          `${time(c.not_after)} (${c.expires_in_days} days) `,
          c.expired ? h('span', { class: 'badge err' }, 'expired') : c.expiring ? h('span', { class: 'badge warn' }, 'expires within 14 days') : null),
        h('td', null, c.file ? `file ${c.file}` : `${c.origin} v${c.version}`),
        // File certificates change with their files, not through the API.
        h('td', { class: 'actions' }, c.file ? null : [
          h('button', { type: 'button', 'aria-label': `History of certificate ${c.name}`, onclick: () => this.showHistory(c) }, 'History'),
          h('button', {
            type: 'button', class: 'danger', id: `delete-certificate-${c.name}`, 'aria-label': `Delete certificate ${c.name}`, onclick: () => this.remove(c.name),
          }, 'Delete')]))))));
    if (this.historyOf !== null && !list.certificates.some((c) => c.name === this.historyOf)) {
      this.historyOf = null;
      replaceChildren(this.history, null);
    }
  }

  /** Versions of one certificate (chain and hosts, never a key), with diff and rollback. */
  private async showHistory(certificate: CertificateInfo): Promise<void> {
    const name = certificate.name;
    let serving = certificate.version;
    this.historyOf = name;
    const versions = new VersionList({
      label: `certificate ${name}`,
      versionsPath: `/cert/${segment(name)}/versions`,
      rollbackPath: (version) => `/cert/${segment(name)}/rollback?version=${version}`,
      serving: () => serving,
      text: (content) => {
        const stored = content as { cert?: string; hosts?: string[] } | null;
        return stored ? `hosts: ${(stored.hosts ?? []).join(', ')}\n${stored.cert ?? ''}` : '';
      },
      onRolledBack: async (version) => {
        serving = version;
        await this.refresh();
      },
    });
    replaceChildren(this.history, h('section', { class: 'card', 'data-history': name }, h('h2', null, `History of ${name}`), versions.element));
    await versions.load();
  }

  private async save(): Promise<void> {
    const value = (id: string) => (this.form.querySelector(`#${id}`) as HTMLInputElement | HTMLTextAreaElement).value;
    const name = value('certificate-name').trim();
    if (!namePattern.test(name)) {
      this.show('Name: letters, digits, "-", "_" and "." only.', false);
      return;
    }
    const hosts = value('certificate-hosts').split(',').map((host) => host.trim()).filter((host) => host.length > 0);
    const body = JSON.stringify({ cert: value('certificate-cert'), key: value('certificate-key'), hosts });
    try {
      const answer = await api<{ version?: number }>(`/cert/${segment(name)}`, { method: 'POST', body });
      this.form.reset();
      this.show(`Saved certificate ${name} (version ${answer.version ?? '?'}); the next handshake uses it.`, true);
      await this.refresh();
    } catch (error) {
      if (error instanceof UnauthorizedError) throw error;
      // The API names the field at fault ("key: does not match the certificate").
      this.show(`Not saved: ${(error as Error).message}`, false);
    }
  }

  private async remove(name: string): Promise<void> {
    if (!window.confirm(`Delete certificate ${name}? Handshakes for its hosts then get another certificate, or none.`)) return;
    try {
      await api(`/cert/${segment(name)}`, { method: 'DELETE' });
      this.show(`Deleted certificate ${name}.`, true);
      await this.refresh();
    } catch (error) {
      if (error instanceof UnauthorizedError) throw error;
      this.show(`Delete failed: ${(error as Error).message}`, false);
    }
  }

  private show(text: string, ok: boolean): void {
    this.message.textContent = text;
    this.message.className = ok ? 'message ok-text' : 'message error';
  }
}

function field(label: string, control: HTMLElement, ...help: HTMLElement[]): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, help);
}
