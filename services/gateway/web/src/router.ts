import { useEffect, useState } from 'preact/hooks';

/**
 * The address bar is the page's state: each page reads its filters from the URL and changes them by
 * navigating, so a view can be shared, bookmarked, and walked with back and forward.
 */
const listeners = new Set<() => void>();

window.addEventListener('popstate', () => {
  for (const listener of listeners) listener();
});

export interface Location {
  readonly path: string;
  readonly query: URLSearchParams;
}

const current = (): Location => ({
  path: window.location.pathname,
  query: new URLSearchParams(window.location.search),
});

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === `${window.location.pathname}${window.location.search}`) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  for (const listener of listeners) listener();
}

export function useLocation(): Location {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    const listener = (): void => setLocation(current());
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, []);
  return location;
}

/** `path?query` with the empty values left out. */
export function href(path: string, query: URLSearchParams | Record<string, string>): string {
  const search = new URLSearchParams(query);
  for (const [name, value] of [...search.entries()]) if (value === '') search.delete(name);
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

/** A click that should stay in the app (not a new tab, not a download). */
export function followLink(event: MouseEvent, to: string): void {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
    return;
  event.preventDefault();
  navigate(to);
}

export const segment = (value: string): string => encodeURIComponent(value);
