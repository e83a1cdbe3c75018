import { api, segment } from '../api';
import { h, replaceChildren } from '../dom';
import { millis, rate, RateTracker } from '../format';
import type { Page } from '../page';
import { levelsOf, peerAddress, peerStatus, statusClass } from '../status';
import type { Overview, StatusReport, UpstreamConfig } from '../types';

/** Every upstream with its levels and peers, live: status, why, fails, last change, weight, latency, rate. */
export class UpstreamsPage implements Page {
  readonly title = 'Upstreams';
  readonly nav = 'upstreams' as const;
  private list!: HTMLElement;
  private message!: HTMLElement;
  private readonly rates = new RateTracker();

  async render(root: HTMLElement): Promise<void> {
    this.list = h('div', { class: 'upstream-list' });
    this.message = h('p', { class: 'message', role: 'status' });
    root.append(
      h('div', { class: 'page-head' },
        h('h1', null, 'Upstreams'),
        h('a', { class: 'button primary', href: '#/upstreams/new' }, 'Add upstream')),
      this.message,
      this.list);
    await this.refresh();
  }

  async refresh(): Promise<void> {
    const [configs, status, overview] = await Promise.all([
      api<Record<string, UpstreamConfig>>('/upstreams'),
      api<StatusReport>('/status'),
      api<Overview>('/overview'),
    ]);
    const now = Date.parse(overview.now) || Date.now();
    for (const upstream of overview.upstreams) {
      for (const [peer, total] of Object.entries(upstream.peer_tries)) this.rates.update(`${upstream.name}|${peer}`, total, now);
    }

    const names = Object.keys(configs);
    if (names.length === 0) {
      replaceChildren(this.list, h('p', null, 'No upstreams yet. ', h('a', { href: '#/upstreams/new' }, 'Add one'), '.'));
      return;
    }

    // Rebuilt whole each poll: no inputs live here, so no focus or typing is lost (buttons keep focus by id below).
    const focused = document.activeElement?.id;
    replaceChildren(this.list, names.map((name) => this.card(name, configs[name], status)));
    if (focused) document.getElementById(focused)?.focus();
  }

  private card(name: string, config: UpstreamConfig, status: StatusReport): HTMLElement {
    const headingId = `upstream-${name}`;
    const facts = [
      `mode ${config.mode ?? 'rr'}`,
      `check ${config.enable === false ? 'off' : config.typ ?? 'general'}`,
      config.try !== undefined ? `try ${config.try}` : null,
      config.timeout !== undefined ? `timeout ${config.timeout}s` : null,
    ].filter(Boolean).join(' · ');

    return h('section', { class: 'card upstream', 'data-upstream': name, 'aria-labelledby': headingId },
      h('div', { class: 'card-head' },
        h('h2', { id: headingId }, name),
        h('span', { class: 'facts' }, facts),
        h('span', { class: 'spacer' }),
        h('a', { class: 'button', href: `#/upstreams/${segment(name)}`, id: `edit-${name}`, 'aria-label': `Edit upstream ${name}` }, 'Edit'),
        h('button', { type: 'button', class: 'danger', id: `delete-${name}`, 'aria-label': `Delete upstream ${name}`, onclick: () => this.remove(name) }, 'Delete')),
      levelsOf(status, name).map((level) => h('div', { class: 'table-wrap' },
        h('table', { class: 'peers' },
          h('caption', null, `${name}, ${level.name}`),
          h('thead', null, h('tr', null, ...['Peer', 'Status', 'Message', 'Fails', 'Last change', 'Weight', 'Latency', 'Requests', 'In flight', 'Serves']
            .map((title) => h('th', { scope: 'col' }, title)))),
          h('tbody', null, level.peers.map((peer) => {
            const address = peerAddress(peer);
            const shown = peerStatus(peer);
            const passive = peer.passive.status === 'down' ? ` (passive: down, ${peer.passive.fails} fails)` : '';
            const ejected = peer.outlier.ejected ? ` (ejected ${peer.outlier.ejections}×, error rate ${(peer.outlier.error_rate * 100).toFixed(0)}%)` : '';
            return h('tr', { 'data-peer': address, 'data-status': shown },
              h('th', { scope: 'row' }, address),
              h('td', null, h('span', { class: `badge ${statusClass(shown)}`, 'data-role': 'status' }, shown)),
              h('td', { class: 'msg' }, (peer.msg ?? '') + passive + ejected || '–'),
              h('td', { class: 'num' }, String(peer.fail_num ?? 0)),
              h('td', null, peer.lastmodified ? `${peer.lastmodified} UTC` : '–'),
              h('td', { class: 'num' }, String(peer.weight)),
              h('td', { class: 'num' }, millis(peer.latency_ms)),
              h('td', { class: 'num' }, rate(this.rates.rate(`${name}|${address}`))),
              h('td', { class: 'num' }, String(peer.inflight)),
              h('td', null, peer.usable ? 'yes' : 'no'));
          }))))));
  }

  private async remove(name: string): Promise<void> {
    if (!window.confirm(`Delete upstream ${name}? Hosts routed to it get no answer from it any more.`)) return;
    try {
      await api(`/upstream/${segment(name)}`, { method: 'DELETE' });
      this.message.textContent = `Deleted upstream ${name}.`;
      this.message.className = 'message ok-text';
      await this.refresh();
    } catch (error) {
      this.message.textContent = `Delete failed: ${(error as Error).message}`;
      this.message.className = 'message error';
    }
  }
}
