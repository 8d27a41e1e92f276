import { useCallback, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, isAbort } from './api/client.js';

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: unknown;
  readonly loading: boolean;
  /** Asks again. */
  readonly reload: () => void;
}

const MAX_RETRY_MS = 10_000;

/**
 * How long to wait before asking again after `error`, or undefined when asking again cannot help.
 * A 503 (job-projection busy or restarting; the gateway says when with Retry-After), a 502/504 or
 * a lost connection pass by themselves; a 4xx does not.
 */
function retryDelay(error: unknown, attempt: number): number | undefined {
  const backoff = Math.min(MAX_RETRY_MS, 1_000 * 2 ** attempt);
  if (error instanceof ApiError) {
    if (![502, 503, 504].includes(error.status)) return undefined;
    return error.retryAfterSeconds !== undefined
      ? Math.min(MAX_RETRY_MS, error.retryAfterSeconds * 1_000)
      : backoff;
  }
  return error instanceof TypeError ? backoff : undefined;
}

/**
 * GET `path` (null: nothing to ask yet); a newer path cancels the older request. A passing failure
 * is shown and retried by itself, so a page left open recovers without a click.
 */
export function useApi<T>(path: string | null): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: path !== null,
  });
  const [tick, setTick] = useState(0);
  const attempts = useRef(0);
  // A layout effect: the request leaves right after the render, not after the next paint (a frame
  // or more later), which is most of what the first page of jobs waits for besides the API.
  useLayoutEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    let retry: ReturnType<typeof setTimeout> | undefined;
    // What is shown stays until the answer replaces it: a live refresh or a new page does not flash.
    setState((s) => (s.loading ? s : { ...s, loading: true }));
    api<T>(path, { signal: controller.signal }).then(
      (data) => {
        attempts.current = 0;
        setState({ data, error: undefined, loading: false });
      },
      (error: unknown) => {
        if (isAbort(error)) return;
        setState({ data: undefined, error, loading: false });
        const delay = retryDelay(error, attempts.current);
        if (delay !== undefined) {
          attempts.current++;
          retry = setTimeout(() => setTick((n) => n + 1), delay);
        }
      },
    );
    return () => {
      controller.abort();
      if (retry !== undefined) clearTimeout(retry);
    };
  }, [path, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}
