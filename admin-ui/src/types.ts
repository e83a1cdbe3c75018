// Shapes of the admin API's answers, as far as the UI reads them.
export interface PeerStatus {
  server: string;
  weight: number;
  max_fails: number;
  fail_timeout: number;
  status: 'ok' | 'err' | 'unstable' | 'unchecked';
  fail_num?: number;
  lastmodified?: string;
  msg?: string | null;
  passive: { status: 'ok' | 'down'; fails: number; down_for_seconds?: number };
  outlier: { ejected: boolean; ejections: number; error_rate: number; window_requests: number; ejected_for_seconds?: number };
  inflight: number;
  latency_ms: number | null;
  usable: boolean;
}

export type Levels = PeerStatus[][] | Record<string, PeerStatus[]>;

export interface ConsulState {
  address?: string;
  reachable?: boolean;
  last_index?: number;
  lag_ms?: number | null;
  last_error?: string | null;
}

export interface StatusReport {
  [key: `cls:${string}`]: Levels;
  last_check_time: string | null;
  checkup_timer_alive: boolean;
  checkup_interval: number;
  start_time: string;
  slardar_version: string;
  consul?: ConsulState | null;
  streams?: Record<string, StreamListenerStatus>;
}

/** One stream listener in /status "streams" (issue 16). */
export interface StreamListenerStatus {
  state: 'listening' | 'failed' | 'draining';
  bound: string | null;
  error: string | null;
  upstream: string | null;
  proxy_timeout: number;
  max_session_time: number | null;
  sessions_active: number;
  sessions_total: number;
  sessions: StreamSessionStatus[];
}

export interface StreamSessionStatus {
  client: string;
  upstream: string | null;
  peer: string | null;
  seconds: number;
  bytes_up: number;
  bytes_down: number;
}

export interface ServerConfig {
  host: string;
  port: number;
  weight?: number;
  max_fails?: number;
  fail_timeout?: number;
  [extra: string]: unknown;
}

export interface LevelConfig {
  servers: ServerConfig[];
  [extra: string]: unknown;
}

export interface UpstreamConfig {
  cluster?: LevelConfig[] | Record<string, LevelConfig>;
  servers?: ServerConfig[];
  mode?: string;
  try?: number;
  try_timeout?: number;
  next_upstream?: string;
  timeout?: number;
  enable?: boolean;
  typ?: string;
  http_opts?: { query?: string; statuses?: Record<string, boolean> };
  [extra: string]: unknown;
}

export interface OverviewUpstream {
  name: string;
  configured: boolean;
  requests: Record<string, number>;
  peer_tries: Record<string, number>;
}

export interface Overview {
  name: string;
  version: string;
  start_time: string;
  now: string;
  uptime_seconds: number;
  listeners: { proxy: string[]; admin: string[] };
  store_path: string;
  manifest_path: string;
  scripts_folder: string;
  upstreams: OverviewUpstream[];
  hosts: HostBinding[];
}

export interface HostBinding {
  pattern: string;
  upstream: string | null;
  trusted: boolean;
  budget_ms: number | null;
  budget_mb: number | null;
}

export interface AuditEntry {
  id: number;
  time: string;
  actor: string;
  action: string;
  target: string;
  detail: string | null;
}

export interface Diagnostic {
  line: number;
  column: number;
  id: string;
  message: string;
  severity: 'error' | 'warning' | 'info' | 'hidden';
  /** Set when the finding is inside a module: "_modules/<name>.cs" (line and column are the module's). */
  file?: string;
}

export interface ScriptInfo {
  host: string;
  phase: string;
  serving: boolean;
  version: number | null;
  sha256: string | null;
  origin: string | null;
  time: string | null;
  compile_state: 'ok' | 'error' | 'unknown';
  counters: { invocations: number; errors: number; budget_exceeded: number; canceled: number; runaways: number; p50_ms: number; p99_ms: number };
  /** Set while this version is quarantined (its host answers 503 50300001 for this phase). */
  quarantined: { since: string; reason: string; failures: number } | null;
  last_error?: { origin: string; time: string; diagnostics: Diagnostic[] };
  source?: string;
}

export interface StoredVersion {
  version: number;
  action: string;
  origin: string;
  actor: string | null;
  time: string;
  sha256: string | null;
  content: unknown;
}

/** A row of the gateway's phase table (GET /scripts: phases), in run order. */
export interface PhaseInfo {
  name: string;
  async: boolean;
  /** 'connection' for a stream listener's phase (preread), which a host cannot have, and the other way round. */
  stage?: string;
  runs: string;
}

/** GET /certs: never a key. */
export interface CertificateList {
  certificates: CertificateInfo[];
  errors: Record<string, string>;
}

export interface CertificateInfo {
  name: string;
  hosts: string[];
  subject: string;
  issuer: string;
  sans: string[];
  not_before: string;
  not_after: string;
  expires_in_days: number;
  expiring: boolean;
  expired: boolean;
  sha256: string;
  origin: string;
  version: number;
  file?: string;
}

/** GET /script-api/<phase>: what a script of the phase can name ("Request"), then the API types' members ("IScriptRequest.Path"). */
export interface ScriptApiName {
  name: string;
  kind: 'property' | 'method' | string;
  type: string;
}

/** GET /modules (and GET /module/<name>, which adds the source). */
export interface ModuleInfo {
  name: string;
  version: number;
  sha256: string;
  origin: string;
  time: string;
  file: string;
  /** The scripts ("host/phase") compiled with this module. */
  users: string[];
  source?: string;
}

/** A module change refused because scripts using it no longer compile. */
export interface ModuleDependent {
  script: string;
  diagnostics: Diagnostic[];
}

/** POST /spec: one entry per block; line to end_line are the block's lines in the spec text. */
export interface SpecReport {
  pass: boolean;
  passed: number;
  failed: number;
  blocks: SpecBlockReport[];
}

export interface SpecBlockReport {
  number: number;
  name: string;
  line: number;
  end_line: number;
  pass: boolean;
  diff?: string;
  mismatches?: { what: string; line: number; expected: string | null; actual: string | null }[];
}
