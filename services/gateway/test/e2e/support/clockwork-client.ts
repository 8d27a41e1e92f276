import { expect } from '@jest/globals';

/** What a Clockwork route answered: status, content type, body parsed as JSON. */
export interface ClockworkResponse<T = unknown> {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: T;
}

/** HTTP Basic `email:key`, as clockwork_tools sends it. */
export function basicAuth(email: string, key: string): string {
  return `Basic ${Buffer.from(`${email}:${key}`, 'utf8').toString('base64')}`;
}

/**
 * The Clockwork API as its Python client calls it: GET with query parameters, PUT with a JSON
 * body (or form fields for user_dict_update), and `Authorization: Basic base64(email:key)`.
 */
export class ClockworkClient {
  constructor(
    readonly baseUrl: string,
    readonly authorization: string | undefined,
  ) {}

  static as(baseUrl: string, email: string, key: string): ClockworkClient {
    return new ClockworkClient(baseUrl, basicAuth(email, key));
  }

  get<T = unknown>(
    endpoint: string,
    params: Record<string, string> = {},
  ): Promise<ClockworkResponse<T>> {
    const search = new URLSearchParams(params).toString();
    return this.send<T>('GET', `${endpoint}${search ? `?${search}` : ''}`);
  }

  putJson<T = unknown>(endpoint: string, body: unknown): Promise<ClockworkResponse<T>> {
    return this.send<T>('PUT', endpoint, JSON.stringify(body), 'application/json');
  }

  putForm<T = unknown>(
    endpoint: string,
    fields: Record<string, string>,
  ): Promise<ClockworkResponse<T>> {
    return this.send<T>(
      'PUT',
      endpoint,
      new URLSearchParams(fields).toString(),
      'application/x-www-form-urlencoded',
    );
  }

  /** A raw PUT: any body, any content type (or none). */
  putRaw<T = unknown>(
    endpoint: string,
    body: string,
    contentType?: string,
  ): Promise<ClockworkResponse<T>> {
    return this.send<T>('PUT', endpoint, body, contentType);
  }

  private async send<T>(
    method: string,
    path: string,
    body?: string,
    contentType?: string,
  ): Promise<ClockworkResponse<T>> {
    const response = await fetch(`${this.baseUrl}/api/v1/clusters/${path}`, {
      method,
      headers: {
        ...(this.authorization ? { authorization: this.authorization } : {}),
        ...(contentType ? { 'content-type': contentType } : {}),
      },
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Left as text: the test asserting the content type says what it was.
    }
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      body: parsed as T,
    };
  }
}

/** A job as Clockwork's routes answer it (the fields the tests read). */
export interface JobDoc {
  slurm: Record<string, unknown> & { job_id: string };
  cw: { mila_email_username: string | null; last_slurm_update: number };
  user: Record<string, unknown>;
  job_user_props: Record<string, unknown>;
}

export interface NodeDoc {
  slurm: Record<string, unknown> & { name: string };
  cw: { gpu: Record<string, unknown> };
}

/** The job ids of job documents, sorted. */
export const jobIds = (jobs: readonly JobDoc[]): string[] => jobs.map((j) => j.slurm.job_id).sort();

/** A Clockwork error: the status, and a bare JSON string (exact, or matching). */
export function expectClockworkError(
  response: ClockworkResponse,
  status: number,
  body: string | RegExp,
): void {
  expect(response.status).toBe(status);
  expect(response.contentType).toMatch(/^application\/json/);
  if (typeof body === 'string') expect(response.body).toBe(body);
  else expect(response.body).toMatch(body);
}
