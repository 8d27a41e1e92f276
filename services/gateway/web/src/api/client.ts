import type { ApiProblem } from './types.js';

const KEY_ITEM = 'clocktower.apiKey';

/** The API key lives in sessionStorage: gone with the tab, never in a URL or a cookie. */
export const session = {
  key: (): string | null => sessionStorage.getItem(KEY_ITEM),
  save: (key: string): void => sessionStorage.setItem(KEY_ITEM, key),
  clear: (): void => sessionStorage.removeItem(KEY_ITEM),
};

/** A non-2xx answer, with the API's problem body when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: ApiProblem | null,
    /** The answer's Retry-After, in seconds, when it sent one (a 503 does). */
    readonly retryAfterSeconds?: number,
  ) {
    super(problem ? messageOf(problem) : `HTTP ${status}`);
    this.name = 'ApiError';
  }
}

function messageOf(problem: ApiProblem): string {
  return Array.isArray(problem.message) ? problem.message.join('; ') : (problem.message as string);
}

const unauthorizedListeners = new Set<() => void>();

/** Called when the API refuses the key (401): the app shows the login prompt. */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export function signalUnauthorized(): void {
  session.clear();
  for (const listener of unauthorizedListeners) listener();
}

export type QueryValue = string | number | null | undefined;

/** `?a=1&b=2` from the defined values; '' when none. */
export function queryString(params: Readonly<Record<string, QueryValue>>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export interface RequestOptions {
  readonly method?: 'GET' | 'PUT';
  readonly body?: unknown;
  readonly signal?: AbortSignal;
  /** Use this key instead of the session's (the login form's check). */
  readonly key?: string;
}

/** One call to /api/v1; a 401 also signals the app, a problem body becomes an ApiError. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const key = options.key ?? session.key();
  if (!key) {
    signalUnauthorized();
    throw new ApiError(401, null);
  }
  const headers: Record<string, string> = {
    Authorization: `Bearer ${key}`,
    Accept: 'application/json',
  };
  const init: RequestInit = { method: options.method ?? 'GET', headers };
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  if (options.signal) init.signal = options.signal;
  const response = await fetch(`/api/v1${path}`, init);
  if (!response.ok) {
    const problem = (await response.json().catch(() => null)) as ApiProblem | null;
    if (response.status === 401 && options.key === undefined) signalUnauthorized();
    const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
    throw new ApiError(
      response.status,
      problem,
      Number.isFinite(retryAfter) ? retryAfter : undefined,
    );
  }
  return (await response.json()) as T;
}

export const isAbort = (error: unknown): boolean =>
  error instanceof DOMException && error.name === 'AbortError';

/** A thrown value as one line of text. */
export const errorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : typeof error === 'string' ? error : 'unknown error';
