/** One screen of the UI. The shell renders it, polls refresh() while it shows, and disposes it on leaving. */
export interface Page {
  title: string;
  nav: 'overview' | 'upstreams' | 'scripts' | 'modules' | 'specs' | 'certificates' | 'streams';
  render(root: HTMLElement): Promise<void>;
  /** Live data: called every poll interval while the page shows. */
  refresh?(): Promise<void>;
  dispose?(): void;
}
