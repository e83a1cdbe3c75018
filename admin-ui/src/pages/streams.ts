import { api } from '../api';
import { h, replaceChildren } from '../dom';
import { duration } from '../format';
import type { Page } from '../page';
import type { StatusReport, StreamListenerStatus } from '../types';

/** TCP stream listeners (scripts.json "streams"): bound, failed (why) or draining, and their open sessions. */
export class StreamsPage implements Page {
  readonly title = 'Streams';
  readonly nav = 'streams' as const;
  private list!: HTMLElement;

  async render(root: HTMLElement): Promise<void> {
    this.list = h('div', null);
    root.append(
      h('h1', null, 'Streams'),
      h('p', { class: 'muted' }, 'TCP listeners from scripts.json "streams"; an edit of the file binds, changes or drains them. A preread script is POST /script/stream:<port>/preread.'),
      this.list);
    await this.refresh();
  }

  async refresh(): Promise<void> {
    const status = await api<StatusReport>('/status');
    const listeners = Object.entries(status.streams ?? {});
    if (listeners.length === 0) {
      replaceChildren(this.list, h('p', { id: 'no-streams' }, 'No stream listeners: add one under "streams" in scripts.json.'));
      return;
    }
    replaceChildren(this.list, listeners.map(([address, listener]) => card(address, listener)));
  }
}

function card(address: string, listener: StreamListenerStatus): HTMLElement {
  const state = listener.state === 'listening' ? h('span', { class: 'badge ok' }, 'listening')
    : listener.state === 'draining' ? h('span', { class: 'badge warn' }, 'draining')
    : h('span', { class: 'badge err' }, 'not bound');
  const sessions = listener.sessions.length === 0
    ? h('p', { class: 'muted' }, 'No open sessions.')
    : h('table', null,
      h('caption', { class: 'visually-hidden' }, `Open sessions of ${address}`),
      h('thead', null, h('tr', null, ['Client', 'Upstream', 'Peer', 'Open for', 'Bytes up', 'Bytes down'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, listener.sessions.map((s) => h('tr', { 'data-client': s.client },
        h('td', null, s.client),
        h('td', null, s.upstream ?? '–'),
        h('td', null, s.peer ?? 'connecting'),
        h('td', null, duration(s.seconds)),
        h('td', null, String(s.bytes_up)),
        h('td', null, String(s.bytes_down))))));
  return h('section', { class: 'card', 'data-listener': address },
    h('h2', null, h('code', null, address), ' ', state),
    listener.error ? h('p', { class: 'err-text', role: 'alert' }, listener.error) : null,
    h('p', null,
      `upstream ${listener.upstream ?? '(chosen by its preread script)'} · bound ${listener.bound ?? '–'} · `,
      h('span', { class: 'sessions-active' }, `${listener.sessions_active} open`),
      ` · ${listener.sessions_total} in all · idle timeout ${duration(listener.proxy_timeout)}`,
      listener.max_session_time ? ` · at most ${duration(listener.max_session_time)}` : ''),
    sessions);
}
