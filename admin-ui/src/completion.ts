import type { Completion, CompletionContext, CompletionResult, CompletionSource } from '@codemirror/autocomplete';
import { api, segment } from './api';
import type { ModuleInfo, ScriptApiName } from './types';

/** What the editor completes: the phase's API names and the modules' namespaces and types. */
export interface CompletionNames {
  api: ScriptApiName[];
  modules: { name: string; kind: 'namespace' | 'type'; module: string }[];
}

// A module's declarations, read from its text: enough for completion, not a parser.
const namespacePattern = /^\s*namespace\s+([A-Za-z_][\w.]*)/gm;
const typePattern = /\b(?:class|struct|interface|enum)\s+([A-Za-z_]\w*)/g;

/** Past this many modules the editor completes their namespaces and types from the first ones only. */
const maxModulesRead = 50;

// The API follows the gateway's build: fetched once per phase while the UI is open.
const apiNames = new Map<string, Promise<ScriptApiName[]>>();

/**
 * A loader for one editor: the phase's API names (shared), and the modules' namespaces and types
 * read when the editor first completes (modules change while the UI is open).
 */
export function completionNames(phase: string): () => Promise<CompletionNames> {
  let names: Promise<CompletionNames> | undefined;
  return () => {
    if (!names) {
      const loading = Promise.all([apiFor(phase), moduleNames().catch(() => [])]).then(([api, modules]) => ({ api, modules }));
      // A failure (a 401 before the token, a restart) is not kept: the next completion asks again.
      loading.catch(() => { if (names === loading) names = undefined; });
      names = loading;
    }
    return names;
  };
}

function apiFor(phase: string): Promise<ScriptApiName[]> {
  let names = apiNames.get(phase);
  if (!names) {
    names = api<{ names: ScriptApiName[] }>(`/script-api/${segment(phase)}`).then((answer) => answer.names);
    names.catch(() => apiNames.delete(phase));
    apiNames.set(phase, names);
  }
  return names;
}

async function moduleNames(): Promise<CompletionNames['modules']> {
  const { modules } = await api<{ modules: ModuleInfo[] }>('/modules');
  const sources = await Promise.all(modules.slice(0, maxModulesRead).map((m) => api<ModuleInfo>(`/module/${segment(m.name)}`)));
  const names = new Map<string, CompletionNames['modules'][number]>();
  for (const module of sources) {
    const source = module.source ?? '';
    for (const match of source.matchAll(namespacePattern)) names.set(match[1], { name: match[1], kind: 'namespace', module: module.name });
    for (const match of source.matchAll(typePattern)) names.set(match[1], { name: match[1], kind: 'type', module: module.name });
  }
  return [...names.values()];
}

/**
 * Completes the word at the cursor: a top-level name (Request, Exit, a module's type), or after
 * "a.b." the members of the API type the chain names (Request. → IScriptRequest's members).
 */
export function scriptCompletion(names: () => Promise<CompletionNames>): CompletionSource {
  return async (context: CompletionContext): Promise<CompletionResult | null> => {
    const word = context.matchBefore(/[A-Za-z_][\w.]*/);
    if (!word && !context.explicit) return null;
    const text = word?.text ?? '';
    const dot = text.lastIndexOf('.');
    const from = (word?.from ?? context.pos) + dot + 1;
    let loaded: CompletionNames;
    try {
      loaded = await names();
    } catch {
      return null;
    }

    if (dot < 0) {
      if (text.length === 0 && !context.explicit) return null;
      return { from, options: topLevel(loaded), validFor: /^\w*$/ };
    }

    const type = typeOf(loaded.api, text.slice(0, dot).split('.'));
    if (!type) return null;
    const options = members(loaded.api, type);
    return options.length > 0 ? { from, options, validFor: /^\w*$/ } : null;
  };
}

function topLevel(names: CompletionNames): Completion[] {
  const api = names.api.filter((n) => !n.name.includes('.')).map((n) => option(n.name, n.kind, n.type));
  const modules = names.modules.map((m) => ({ label: m.name, type: m.kind === 'namespace' ? 'namespace' : 'class', detail: `module ${m.module}` }));
  return unique([...api, ...modules]);
}

// The type a chain such as ["Request", "Headers"] ends at, following each member's declared type.
function typeOf(names: ScriptApiName[], chain: string[]): string | undefined {
  let type = names.find((n) => n.name === chain[0] && n.kind === 'property')?.type;
  for (const member of chain.slice(1)) {
    if (!type) return undefined;
    type = names.find((n) => n.name === `${type}.${member}` && n.kind === 'property')?.type;
  }
  return type?.replace(/\?$/, '');
}

function members(names: ScriptApiName[], type: string): Completion[] {
  const prefix = `${type}.`;
  return unique(names.filter((n) => n.name.startsWith(prefix)).map((n) => option(n.name.slice(prefix.length), n.kind, n.type)));
}

// Overloads with different return types are one name to complete.
function unique(options: Completion[]): Completion[] {
  const seen = new Set<string>();
  return options.filter((o) => !seen.has(o.label) && seen.add(o.label));
}

function option(label: string, kind: string, type: string): Completion {
  return { label, type: kind === 'method' ? 'method' : 'property', detail: type };
}
