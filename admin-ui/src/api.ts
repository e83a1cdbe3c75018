// Calls the admin API the way curl does, with the bearer token when one was given.
const tokenKey = 'slardar.admin.token';

export class ApiError extends Error {
  constructor(public readonly status: number, message: string, public readonly body: unknown) {
    super(message);
  }
}

/** The gateway answered 401: no token, or a wrong one. */
export class UnauthorizedError extends ApiError {}

export function getToken(): string {
  return sessionStorage.getItem(tokenKey) ?? '';
}

export function setToken(token: string): void {
  sessionStorage.setItem(tokenKey, token);
}

export interface ApiOptions {
  method?: string;
  body?: string;
  contentType?: string;
  token?: string;
  /** Answer 4xx bodies instead of throwing (dry runs answer 400 with diagnostics). */
  acceptErrors?: boolean;
}

export interface ApiResponse<T> {
  status: number;
  body: T;
}

export async function request<T = unknown>(path: string, options: ApiOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = options.token ?? getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['Content-Type'] = options.contentType ?? 'application/json';

  const response = await fetch(path, { method: options.method ?? 'GET', headers, body: options.body, cache: 'no-store' });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text.length > 0 ? JSON.parse(text) : null;
  } catch {
    // Not JSON (e.g. /metrics): keep the text.
  }

  const message = messageOf(body) ?? `${response.status} ${response.statusText}`;
  if (response.status === 401) throw new UnauthorizedError(401, message, body);
  if (!response.ok && !(options.acceptErrors && response.status < 500)) throw new ApiError(response.status, message, body);
  return { status: response.status, body: body as T };
}

export async function api<T = unknown>(path: string, options: ApiOptions = {}): Promise<T> {
  return (await request<T>(path, options)).body;
}

/** A GET of something that may not exist yet: null on 404. */
export async function apiOrNull<T>(path: string): Promise<T | null> {
  try {
    return await api<T>(path);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

function messageOf(body: unknown): string | undefined {
  return body !== null && typeof body === 'object' && 'msg' in body && typeof body.msg === 'string' ? body.msg : undefined;
}

/** Encodes one path segment (host patterns such as "*.example.com" and "_" pass through readable). */
export function segment(value: string): string {
  return encodeURIComponent(value);
}
