/** The search box: job ids (`1001`, `1001, 1002`) or part of a name. */
export function searchParams(q: string): Record<string, string> {
  const text = q.trim();
  if (text === '') return {};
  if (/^[\d\s,]+$/.test(text)) {
    return {
      jobIds: text
        .split(/[\s,]+/)
        .filter(Boolean)
        .join(','),
    };
  }
  return { name: text };
}

/**
 * The URL of the page is the API query: every parameter but `q` (the search box) goes to GET /jobs
 * as it is, so a bad value comes back as the API's 400 naming it, and a shared link shows the same
 * page. Defaults (the user's page size, page 1) are added, not written into the URL.
 */
export function jobsApiPath(query: URLSearchParams, itemsPerPage: number): string {
  const params = new URLSearchParams(query);
  const q = params.get('q') ?? '';
  params.delete('q');
  for (const [name, value] of Object.entries(searchParams(q))) params.set(name, value);
  if (!params.has('limit')) params.set('limit', String(itemsPerPage));
  if (!params.has('cursor') && !params.has('page')) params.set('page', '1');
  return `/jobs?${params.toString()}`;
}
