import { useEffect, useRef } from 'preact/hooks';
import { changeStream } from './api/change-stream.js';
import type { ChangeEntry } from './api/types.js';

/** Changes that arrive closer together than this are one refresh: a busy cluster sends many. */
export const LIVE_DEBOUNCE_MS = 1_000;

/**
 * Calls `refresh` after changes the page shows (`matches`), at most once per LIVE_DEBOUNCE_MS, so
 * the page follows the cluster without reloading and without a query per event. A hidden tab
 * refreshes when it is shown again.
 */
export function useLiveRefresh(
  matches: (change: ChangeEntry) => boolean,
  refresh: () => void,
  deps: readonly unknown[],
): void {
  const latest = useRef({ matches, refresh });
  latest.current = { matches, refresh };
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let missed = false;
    const fire = (): void => {
      timer = undefined;
      if (document.hidden) missed = true;
      else latest.current.refresh();
    };
    const unsubscribe = changeStream.subscribe((change) => {
      if (!latest.current.matches(change) || timer !== undefined) return;
      timer = setTimeout(fire, LIVE_DEBOUNCE_MS);
    });
    const onVisible = (): void => {
      if (!document.hidden && missed) {
        missed = false;
        latest.current.refresh();
      }
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      unsubscribe();
      document.removeEventListener('visibilitychange', onVisible);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, deps);
}
