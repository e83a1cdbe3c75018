import './style.css';
import { getToken, UnauthorizedError } from './api';
import type { Page } from './page';
import { CertificatesPage } from './pages/certificates';
import { ModuleEditorPage } from './pages/moduleEditor';
import { ModulesPage } from './pages/modules';
import { OverviewPage } from './pages/overview';
import { ScriptEditorPage } from './pages/scriptEditor';
import { ScriptsPage } from './pages/scripts';
import { SpecPage } from './pages/spec';
import { StreamsPage } from './pages/streams';
import { UpstreamEditorPage } from './pages/upstreamEditor';
import { UpstreamsPage } from './pages/upstreams';
import { promptForToken } from './token';

/** Live pages poll this often; short enough that a peer's flip shows within a couple of seconds. */
const pollMilliseconds = 1000;

const main = document.getElementById('main') as HTMLElement;
const connection = document.getElementById('connection') as HTMLElement;
let current: Page | undefined;
let generation = 0;
let prompting: Promise<void> | undefined;
let polling = false;

function route(hash: string): Page {
  const parts = hash.replace(/^#\/?/, '').split('/').map((part) => decodeURIComponent(part));
  switch (parts[0]) {
    case 'upstreams':
      if (parts[1] === 'new') return new UpstreamEditorPage(null);
      return parts[1] ? new UpstreamEditorPage(parts[1]) : new UpstreamsPage();
    case 'scripts':
      return parts[1] && parts[2] ? new ScriptEditorPage(parts[1], parts[2]) : new ScriptsPage();
    case 'modules':
      return parts[1] ? new ModuleEditorPage(parts[1]) : new ModulesPage();
    case 'specs':
      return new SpecPage();
    case 'certificates':
      return new CertificatesPage();
    case 'streams':
      return new StreamsPage();
    default:
      return new OverviewPage();
  }
}

async function show(): Promise<void> {
  const mine = ++generation;
  current?.dispose?.();
  const page = route(location.hash);
  current = page;
  document.title = `${page.title} · Slardar.Scriptable admin`;
  for (const link of document.querySelectorAll<HTMLAnchorElement>('[data-nav]')) {
    if (link.dataset.nav === page.nav) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }

  main.replaceChildren();
  try {
    await page.render(main);
    if (mine === generation) setConnection(true);
  } catch (error) {
    await handle(error, true);
  }
}

async function handle(error: unknown, rerender: boolean): Promise<void> {
  if (error instanceof UnauthorizedError) {
    prompting ??= promptForToken(getToken() !== '').finally(() => { prompting = undefined; });
    await prompting;
    if (rerender) await show();
    return;
  }

  setConnection(false, (error as Error).message);
  if (rerender) {
    main.replaceChildren();
    const message = document.createElement('p');
    message.className = 'error';
    message.setAttribute('role', 'alert');
    message.textContent = `Could not load this page: ${(error as Error).message}`;
    main.appendChild(message);
  }
}

function setConnection(ok: boolean, reason?: string): void {
  connection.textContent = ok ? 'live' : `gateway unreachable: ${reason ?? ''}`;
  connection.className = `connection ${ok ? 'ok' : 'err'}`;
}

async function poll(): Promise<void> {
  const page = current;
  // One poll at a time: a slow gateway must not pile requests up.
  if (!page?.refresh || prompting || polling || document.hidden) return;
  polling = true;
  try {
    await page.refresh();
    if (page === current) setConnection(true);
  } catch (error) {
    await handle(error, false);
  } finally {
    polling = false;
  }
}

window.addEventListener('hashchange', () => void show());
window.addEventListener('unhandledrejection', (event) => {
  if (event.reason instanceof UnauthorizedError) {
    event.preventDefault();
    void handle(event.reason, true);
  }
});
window.setInterval(() => void poll(), pollMilliseconds);
if (!location.hash) history.replaceState(null, '', '#/overview');
void show();
