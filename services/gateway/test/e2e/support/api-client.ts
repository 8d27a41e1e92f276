import type { JobView, Page } from '@clocktower/contracts';

export interface ApiResponse<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

/** GET/POST on the gateway's API as one user (their API key), bodies parsed as JSON. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly key: string | undefined,
  ) {}

  as(key: string | undefined): ApiClient {
    return new ApiClient(this.baseUrl, key);
  }

  async get<T = unknown>(
    path: string,
    query: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    return this.send<T>('GET', path, query);
  }

  async post<T = unknown>(path: string, body?: unknown): Promise<ApiResponse<T>> {
    return this.send<T>('POST', path, {}, body);
  }

  /** Like get, but fails with the response when the status is not 200. */
  async ok<T = unknown>(path: string, query: Record<string, string> = {}): Promise<T> {
    const response = await this.get<T>(path, query);
    if (response.status !== 200) {
      throw new Error(
        `GET ${path}?${new URLSearchParams(query).toString()} answered ${response.status}: ${JSON.stringify(response.body)}`,
      );
    }
    return response.body;
  }

  url(path: string, query: Record<string, string> = {}): string {
    const search = new URLSearchParams(query).toString();
    return `${this.baseUrl}${path}${search ? `?${search}` : ''}`;
  }

  headers(): Record<string, string> {
    return this.key ? { authorization: `Bearer ${this.key}` } : {};
  }

  private async send<T>(
    method: string,
    path: string,
    query: Record<string, string>,
    body?: unknown,
  ): Promise<ApiResponse<T>> {
    const response = await fetch(this.url(path, query), {
      method,
      headers: {
        ...this.headers(),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON: the tests that care assert the content type.
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  }
}

/** Every item of a paged resource, following `nextCursor`; fails on a chain that does not end. */
export async function allPages<T>(
  api: ApiClient,
  path: string,
  query: Record<string, string>,
  pageOf: (body: unknown) => Page<T> = (body) => body as Page<T>,
  limit = 7,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let pages = 0; ; pages++) {
    if (pages > 10_000) throw new Error(`paging ${path} ${JSON.stringify(query)} does not end`);
    const page = pageOf(
      await api.ok(path, { ...query, limit: String(limit), ...(cursor ? { cursor } : {}) }),
    );
    items.push(...page.items);
    cursor = page.nextCursor;
    if (cursor === null) return items;
  }
}

/**
 * Every job matching the query, following `nextCursor` from page to page; fails on a repeat or on
 * a page chain that does not end (a cursor that goes round in circles).
 */
export async function allJobs(
  api: ApiClient,
  query: Record<string, string>,
  limit = 7,
): Promise<{ items: JobView[]; totals: number[]; pages: number }> {
  const items: JobView[] = [];
  const totals: number[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: Page<JobView> = await api.ok<Page<JobView>>('/api/v1/jobs', {
      ...query,
      limit: String(limit),
      ...(cursor ? { cursor } : {}),
    });
    items.push(...page.items);
    totals.push(page.total);
    cursor = page.nextCursor;
    pages++;
    if (pages > 10_000) throw new Error(`paging ${JSON.stringify(query)} does not end`);
  } while (cursor !== null);
  return { items, totals, pages };
}

/** The fields a 400 names (the gateway's `issues[].path`). */
export function issuePaths(body: unknown): string[] {
  const issues = (body as { issues?: { path: string }[] } | undefined)?.issues;
  return Array.isArray(issues) ? issues.map((i) => i.path) : [];
}
