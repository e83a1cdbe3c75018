import { api } from '../api';
import { h, replaceChildren } from '../dom';
import { time } from '../format';
import type { Page } from '../page';
import type { CertificateList } from '../types';

/** TLS certificates: what serves which hosts, until when; expiry within 14 days stands out. Keys are never shown (the API never returns them). */
export class CertificatesPage implements Page {
  readonly title = 'Certificates';
  readonly nav = 'certificates' as const;
  private table!: HTMLElement;
  private errors!: HTMLElement;

  async render(root: HTMLElement): Promise<void> {
    this.table = h('div', { class: 'table-wrap' });
    this.errors = h('div', null);
    root.append(
      h('h1', null, 'Certificates'),
      h('p', { class: 'muted' }, 'Post with POST /cert/<name> {"cert", "key", "hosts"}; a change applies to the next TLS handshake.'),
      this.errors,
      h('section', { class: 'card', 'aria-labelledby': 'certificates-title' }, h('h2', { id: 'certificates-title' }, 'Serving'), this.table));
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
      h('thead', null, h('tr', null, ['Name', 'Hosts', 'Subject', 'Names (SAN)', 'Expires', 'Origin'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, list.certificates.map((c) => h('tr', { 'data-certificate': c.name },
        h('td', null, h('code', null, c.name)),
        h('td', null, c.hosts.join(', ')),
        h('td', null, c.subject),
        h('td', null, c.sans.join(', ') || '–'),
        h('td', null,
          `${time(c.not_after)} (${c.expires_in_days} days) `,
          c.expired ? h('span', { class: 'badge err' }, 'expired') : c.expiring ? h('span', { class: 'badge warn' }, 'expires within 14 days') : null),
        h('td', null, c.file ? `file ${c.file}` : `${c.origin} v${c.version}`))))));
  }
}
