/**
 * The dashboard's own pages (its client-side router's paths): each answers index.html, so a deep
 * link or a reload lands on the page. Listed rather than a catch-all, so an unknown path — and
 * every unknown /api/ route — stays a JSON 404, and no route of another controller is shadowed.
 * A new page of the dashboard is added here.
 */
export const DASHBOARD_ROUTES = [
  '/',
  'jobs',
  'jobs/:cluster/:jobId',
  'nodes',
  'nodes/:cluster/:name',
  'history',
  'settings',
  'login',
] as const;

/** Built files, named by content hash: cached for a year, never revalidated. */
export const ASSETS_PREFIX = '/assets/';
