import { api, apiOrNull, UnauthorizedError } from './api';
import { diffLines } from './diff';
import { h, replaceChildren } from './dom';
import { time } from './format';
import type { StoredVersion } from './types';

export interface VersionSource {
  /** What is versioned, for labels ("upstream web", "script _/rewrite"). */
  label: string;
  versionsPath: string;
  rollbackPath: (version: number) => string;
  /** The version serving now, marked in the list; null when none serves. */
  serving: () => number | null;
  /** Content as text for diffs. */
  text: (content: unknown) => string;
  onRolledBack: (version: number) => Promise<void> | void;
}

/**
 * A version list with a diff of any version against the one serving (or its predecessor) and
 * one-click rollback: shared by upstreams and scripts, whose API shapes are the same.
 */
export class VersionList {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly diff: HTMLElement;
  private readonly message: HTMLElement;
  private versions: StoredVersion[] = [];

  constructor(private readonly source: VersionSource) {
    this.body = h('div', { class: 'table-wrap' });
    this.diff = h('div', { class: 'diff-panel', 'aria-live': 'polite' });
    this.message = h('p', { class: 'message', role: 'status' });
    this.element = h('section', { class: 'versions', 'aria-labelledby': 'versions-title' },
      h('h2', { id: 'versions-title' }, 'Versions'),
      this.message,
      this.body,
      this.diff);
  }

  /** The newest stored version, or null before the first. */
  get latest(): number | null {
    return this.versions[0]?.version ?? null;
  }

  async load(): Promise<void> {
    const answer = await apiOrNull<{ versions: StoredVersion[] }>(this.source.versionsPath);
    this.versions = [...(answer?.versions ?? [])].sort((a, b) => b.version - a.version);
    this.render();
  }

  private render(): void {
    if (this.versions.length === 0) {
      replaceChildren(this.body, h('p', null, 'No stored versions yet.'));
      return;
    }

    const serving = this.source.serving();
    const rows = this.versions.map((version) => {
      const isServing = version.version === serving;
      return h('tr', { 'data-version': version.version, class: isServing ? 'serving' : '' },
        h('th', { scope: 'row' }, `v${version.version}`, isServing ? h('span', { class: 'badge ok' }, 'serving') : null),
        h('td', null, time(version.time)),
        h('td', null, version.action),
        h('td', null, version.origin),
        h('td', null, version.actor ?? '–'),
        h('td', { class: 'actions' },
          h('button', { type: 'button', onclick: () => this.showDiff(version), 'aria-label': `Diff version ${version.version}` }, 'Diff'),
          h('button', {
            type: 'button',
            disabled: isServing || version.content === null,
            onclick: () => this.rollback(version.version),
            'aria-label': `Roll back to version ${version.version}`,
          }, 'Roll back')));
    });
    replaceChildren(this.body, h('table', null,
      h('caption', { class: 'visually-hidden' }, `Stored versions of ${this.source.label}`),
      h('thead', null, h('tr', null, ...['Version', 'Time', 'Action', 'Origin', 'Actor', ''].map((title) => h('th', { scope: 'col' }, title)))),
      h('tbody', null, rows)));
  }

  private showDiff(version: StoredVersion): void {
    // Against the serving version; the serving one (or one never served) against its predecessor.
    const serving = this.source.serving();
    const other = version.version !== serving && serving !== null
      ? this.versions.find((v) => v.version === serving)
      : this.versions.find((v) => v.version < version.version);
    const [from, to] = other && other.version < version.version ? [other, version] : [version, other ?? version];
    const lines = diffLines(from === to ? '' : this.source.text(from.content), this.source.text(to.content));
    const title = from === to ? `v${to.version} (first version)` : `v${from.version} → v${to.version}`;
    replaceChildren(this.diff,
      h('h3', null, `Diff ${title}`),
      h('pre', { class: 'diff', 'aria-label': `Diff ${title}` },
        lines.map((line) => h('span', { class: `diff-${line.kind}` }, `${line.kind === 'added' ? '+' : line.kind === 'removed' ? '-' : ' '} ${line.text}\n`))));
  }

  private async rollback(version: number): Promise<void> {
    try {
      const answer = await api<{ version: number }>(this.source.rollbackPath(version), { method: 'POST' });
      this.message.textContent = `Rolled back to v${version}: now serving as v${answer.version}.`;
      this.message.className = 'message ok-text';
      await this.source.onRolledBack(answer.version);
      await this.load();
    } catch (error) {
      if (error instanceof UnauthorizedError) throw error;
      this.message.textContent = `Rollback failed: ${(error as Error).message}`;
      this.message.className = 'message error';
    }
  }
}
