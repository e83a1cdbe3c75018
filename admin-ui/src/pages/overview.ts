import { api } from '../api';
import { rateChart, statusClasses, type Sample } from '../chart';
import { h, replaceChildren } from '../dom';
import { duration, rate, RateTracker, time } from '../format';
import type { Page } from '../page';
import type { AuditEntry, ConsulState, Overview, StatusReport } from '../types';

const historyLength = 60;

/** The gateway at a glance: listeners, version, uptime, store, Consul, traffic per upstream, recent changes. */
export class OverviewPage implements Page {
  readonly title = 'Overview';
  readonly nav = 'overview' as const;
  private facts!: HTMLElement;
  private consul!: HTMLElement;
  private traffic!: HTMLElement;
  private audit!: HTMLElement;
  private readonly rates = new RateTracker();
  private readonly history = new Map<string, Sample[]>();

  async render(root: HTMLElement): Promise<void> {
    this.facts = h('dl', { class: 'facts-list', id: 'gateway-facts' });
    this.consul = h('section', { class: 'card', 'aria-labelledby': 'consul-title' });
    this.traffic = h('div', { class: 'traffic' });
    this.audit = h('div', { class: 'table-wrap' });
    root.append(
      h('h1', null, 'Overview'),
      h('div', { class: 'grid-2' },
        h('section', { class: 'card', 'aria-labelledby': 'gateway-title' }, h('h2', { id: 'gateway-title' }, 'Gateway'), this.facts),
        this.consul),
      h('section', { class: 'card', 'aria-labelledby': 'traffic-title' },
        h('h2', { id: 'traffic-title' }, 'Requests per upstream'),
        h('p', { class: 'legend' }, statusClasses.slice(0, 5).map((c) => h('span', { class: `key bar-${c}` }, c))),
        this.traffic),
      h('section', { class: 'card', 'aria-labelledby': 'audit-title' }, h('h2', { id: 'audit-title' }, 'Recent admin changes'), this.audit));
    await this.refresh();
  }

  async refresh(): Promise<void> {
    const [overview, status, audit] = await Promise.all([
      api<Overview>('/overview'),
      api<StatusReport>('/status'),
      api<AuditEntry[]>('/audit?limit=15'),
    ]);
    this.renderFacts(overview, status);
    this.renderConsul(status.consul);
    this.renderTraffic(overview);
    this.renderAudit(audit);
  }

  private renderFacts(overview: Overview, status: StatusReport): void {
    replaceChildren(this.facts,
      h('dt', null, 'Version'), h('dd', { id: 'fact-version' }, overview.version),
      h('dt', null, 'Uptime'), h('dd', { id: 'fact-uptime' }, `${duration(overview.uptime_seconds)} (since ${time(overview.start_time)})`),
      h('dt', null, 'Proxy listener'), h('dd', null, overview.listeners.proxy.join(', ')),
      h('dt', null, 'Admin listener'), h('dd', null, overview.listeners.admin.join(', ')),
      h('dt', null, 'Store'), h('dd', null, h('code', null, overview.store_path)),
      h('dt', null, 'Host bindings'), h('dd', null, h('code', null, overview.manifest_path)),
      h('dt', null, 'Scripts folder'), h('dd', null, h('code', null, overview.scripts_folder)),
      h('dt', null, 'Health checks'), h('dd', null,
        `${status.checkup_timer_alive ? 'running' : 'stopped'}, every ${status.checkup_interval}s; last round ${status.last_check_time ? `${status.last_check_time} UTC` : 'not yet'}`));
  }

  private renderConsul(consul: ConsulState | null | undefined): void {
    if (!consul) {
      replaceChildren(this.consul, h('h2', { id: 'consul-title' }, 'Consul'), h('p', { class: 'muted' }, 'Not configured: upstreams come from the admin API, configuration and the store.'));
      return;
    }
    replaceChildren(this.consul,
      h('h2', { id: 'consul-title' }, 'Consul'),
      h('dl', { class: 'facts-list', id: 'consul-facts' },
        h('dt', null, 'Address'), h('dd', null, consul.address ?? '–'),
        h('dt', null, 'Reachable'), h('dd', null, h('span', { class: `badge ${consul.reachable ? 'ok' : 'err'}` }, consul.reachable ? 'yes' : 'no')),
        h('dt', null, 'Last index'), h('dd', null, consul.last_index === undefined ? '–' : String(consul.last_index)),
        h('dt', null, 'Lag'), h('dd', null, consul.lag_ms === null || consul.lag_ms === undefined ? '–' : `${consul.lag_ms} ms`),
        h('dt', null, 'Last error'), h('dd', { class: consul.last_error ? 'err-text' : '' }, consul.last_error ?? 'none')));
  }

  private renderTraffic(overview: Overview): void {
    const now = Date.parse(overview.now) || Date.now();
    const rows = overview.upstreams.map((upstream) => {
      const sample: Sample = {};
      for (const statusClass of statusClasses) {
        const key = `${upstream.name}|${statusClass}`;
        this.rates.update(key, upstream.requests[statusClass] ?? 0, now);
        sample[statusClass] = this.rates.rate(key) ?? 0;
      }
      const history = this.history.get(upstream.name) ?? [];
      history.push(sample);
      if (history.length > historyLength) history.shift();
      this.history.set(upstream.name, history);

      const total = Object.values(sample).reduce((a, b) => a + b, 0);
      const totals = statusClasses.filter((c) => upstream.requests[c]).map((c) => `${c} ${upstream.requests[c]}`).join(', ');
      const summary = `${rate(total)} now; since start: ${totals || 'no requests'}`;
      return h('div', { class: 'traffic-row', 'data-upstream': upstream.name },
        h('div', { class: 'traffic-name' }, h('a', { href: `#/upstreams/${encodeURIComponent(upstream.name)}` }, upstream.name), upstream.configured ? null : h('span', { class: 'muted' }, ' (deleted)')),
        rateChart(history, `${upstream.name}: ${summary}`, historyLength),
        h('div', { class: 'traffic-summary' }, summary));
    });
    replaceChildren(this.traffic, rows.length > 0 ? rows : h('p', null, 'No upstreams yet.'));
  }

  private renderAudit(entries: AuditEntry[]): void {
    if (entries.length === 0) {
      replaceChildren(this.audit, h('p', null, 'No changes yet.'));
      return;
    }
    replaceChildren(this.audit, h('table', { id: 'audit' },
      h('caption', { class: 'visually-hidden' }, 'Recent admin changes, newest first'),
      h('thead', null, h('tr', null, ['Time', 'Actor', 'Action', 'Target', 'Detail'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, entries.map((entry) => h('tr', null,
        h('td', null, time(entry.time)),
        h('td', null, entry.actor),
        h('td', null, entry.action),
        h('td', null, h('code', null, entry.target)),
        h('td', null, entry.detail ?? '–'))))));
  }
}
