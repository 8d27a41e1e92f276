import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@clocktower/testing';
import {
  SlurmrestdSource,
  type SlurmrestdSourceOptions,
} from '../../src/adapters/sources/slurmrestd.source.js';

/**
 * slurmrestd as recorded on the lab (Slurm 22.05.8, OpenAPI v0.0.38), replayed by a tiny HTTP
 * server: what the source sends and how it reads every kind of answer, including 22.05's odd ones.
 */
const FIXTURES = join(import.meta.dirname, 'fixtures', 'slurmrestd-v0.0.38');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.recorded.token';
const BAD_TOKEN = 'expired';
/** This server answers 401, as slurmrestd does without a token. */
const UNAUTHORIZED_TOKEN = 'unauthorized';
/** This server never answers a request with this token. */
const HANG_TOKEN = 'hang';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

function answer(seen: Seen): { status: number; body: string; type?: string } | 'hang' {
  const { method, url, headers } = seen;
  const path = url.split('?')[0];
  const query = new URLSearchParams(url.split('?')[1] ?? '');
  if (
    headers['x-slurm-user-token'] === undefined ||
    headers['x-slurm-user-token'] === UNAUTHORIZED_TOKEN
  )
    return { status: 401, body: 'Authentication failure', type: 'text/plain' };
  if (headers['x-slurm-user-token'] === HANG_TOKEN) return 'hang';
  const bad = headers['x-slurm-user-token'] === BAD_TOKEN;
  if (method === 'GET' && path === '/slurm/v0.0.38/jobs')
    return bad
      ? { status: 500, body: fixture('jobs-bad-token.json') }
      : { status: 200, body: fixture('jobs.json') };
  if (method === 'GET' && path === '/slurm/v0.0.38/nodes')
    return { status: 200, body: fixture('nodes.json') };
  if (method === 'GET' && path === '/slurmdb/v0.0.38/jobs') {
    if (bad) return { status: 200, body: fixture('db-jobs-bad-token.json') };
    return query.get('start_time')?.startsWith('2001')
      ? { status: 200, body: fixture('db-jobs-nothing-found.json') }
      : { status: 200, body: fixture('db-jobs.json') };
  }
  if (method === 'POST' && path === '/slurm/v0.0.38/job/submit') {
    return seen.body.includes('nosuchpartition')
      ? { status: 500, body: fixture('submit-bad-partition.json') }
      : { status: 200, body: fixture('submit.json') };
  }
  if (method === 'DELETE' && path === '/slurm/v0.0.38/job/37')
    return { status: 200, body: fixture('cancel.json') };
  if (method === 'DELETE' && path === '/slurm/v0.0.38/job/999999')
    return { status: 500, body: fixture('cancel-unknown.json') };
  return {
    status: 404,
    body: 'Unable find requested URL. Please view /openapi/v3 for API reference.',
    type: 'text/plain',
  };
}

describe('slurmrestd source against recorded answers', () => {
  let server: Server;
  let url: string;
  const seen: Seen[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'ct-rest-'));
  const source = (options: Partial<SlurmrestdSourceOptions> = {}): SlurmrestdSource =>
    new SlurmrestdSource({ url, user: 'ctlab', token: TOKEN, ...options });
  const last = (): Seen => seen[seen.length - 1]!;

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const record = {
          method: request.method ?? '',
          url: request.url ?? '',
          headers: request.headers,
          body,
        };
        seen.push(record);
        const reply = answer(record);
        if (reply === 'hang') return;
        response
          .writeHead(reply.status, { 'Content-Type': reply.type ?? 'application/json' })
          .end(reply.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the queue, nodes and accounting as the JSON documents slurmrestd sent, with the JWT headers', async () => {
    const at = new Date('2026-11-21T16:55:00.000Z');
    const rest = source({ clock: () => at });
    expect(await rest.queue()).toEqual({
      kind: 'squeue',
      format: 'json',
      body: fixture('jobs.json'),
      observedAt: at.toISOString(),
    });
    expect(last().headers['x-slurm-user-name']).toBe('ctlab');
    expect(last().headers['x-slurm-user-token']).toBe(TOKEN);
    expect(await rest.nodes()).toMatchObject({
      kind: 'sinfo',
      format: 'json',
      body: fixture('nodes.json'),
    });
    expect(
      await rest.accounting(new Date('2026-11-21T16:00:00Z'), new Date('2026-11-21T17:00:00Z')),
    ).toMatchObject({ kind: 'sacct', body: fixture('db-jobs.json') });
    // 22.05 refuses Unix times here: Slurm's own time syntax, URL-encoded.
    expect(last().url).toBe(
      '/slurmdb/v0.0.38/jobs?start_time=2026-11-21T16%3A00%3A00&end_time=2026-11-21T17%3A00%3A00',
    );
  });

  it('treats an empty accounting window ("Nothing found", error 9003) as a normal answer', async () => {
    const output = await source().accounting(
      new Date('2001-01-01T00:00:00Z'),
      new Date('2001-01-02T00:00:00Z'),
    );
    expect((JSON.parse(output.body) as { jobs: unknown[] }).jobs).toEqual([]);
  });

  it('reads the token file at every request, so a renewed token is picked up', async () => {
    const tokenPath = join(dir, 'token');
    writeFileSync(tokenPath, `SLURM_JWT=${BAD_TOKEN}\n`);
    const rest = new SlurmrestdSource({ url, user: 'ctlab', tokenPath });
    await expect(rest.queue()).rejects.toThrow();
    writeFileSync(tokenPath, `${TOKEN}\n`);
    await expect(rest.queue()).resolves.toMatchObject({ kind: 'squeue' });
  });

  it('is AUTH_FAILED when the token is empty, missing (401) or refused by slurmdbd (error 1007 inside a 200)', async () => {
    const before = seen.length;
    await expect(source({ token: ' ' }).queue()).rejects.toMatchObject({
      code: 'AUTH_FAILED',
      message: expect.stringContaining('token is empty'),
    });
    expect(seen.length).toBe(before);
    await expect(source({ token: UNAUTHORIZED_TOKEN }).queue()).rejects.toMatchObject({
      code: 'AUTH_FAILED',
      message: expect.stringContaining('HTTP 401 Authentication failure'),
    });
    await expect(
      source({ token: BAD_TOKEN }).accounting(new Date(), new Date()),
    ).rejects.toMatchObject({
      code: 'AUTH_FAILED',
      message: expect.stringContaining('Protocol authentication error'),
    });
  });

  it("is COMMAND_FAILED with the errors slurmrestd gave, hinting at the token for 22.05's bare 500", async () => {
    await expect(source({ token: BAD_TOKEN }).queue()).rejects.toMatchObject({
      code: 'COMMAND_FAILED',
      message: expect.stringMatching(
        /HTTP 500: slurm_load_jobs: Failed while looking for jobs .*token is invalid or expired/,
      ),
    });
    await expect(source({ openapiVersion: 'v0.0.99' }).queue()).rejects.toMatchObject({
      code: 'COMMAND_FAILED',
      message: expect.stringContaining('HTTP 404'),
    });
  });

  it('submits with the script in the body and the options as v0.0.38 job properties', async () => {
    const script = '#!/bin/bash\necho "$HOME; rm -rf /tmp/x" `id`\n';
    const { jobId } = await source({ defaultWorkDir: '/scratch' }).submit({
      script,
      name: 'j1',
      partition: 'debug',
      timeLimitMinutes: 5,
      nodes: 2,
      memoryMB: 100,
      gpus: 1,
      comment: "it's $(id)",
      hold: true,
      env: { RUN: '1' },
    });
    expect(jobId).toBe('37');
    expect(last().method).toBe('POST');
    expect(last().headers['content-type']).toBe('application/json');
    expect(JSON.parse(last().body)).toEqual({
      script,
      job: {
        name: 'j1',
        partition: 'debug',
        time_limit: 5,
        nodes: [2, 2],
        memory_per_node: 100,
        gpus: '1',
        current_working_directory: '/scratch',
        comment: "it's $(id)",
        hold: true,
        environment: { PATH: '/usr/local/bin:/usr/bin:/bin', RUN: '1' },
      },
    });
  });

  it('refuses an invalid submit or cancel without sending anything', async () => {
    const before = seen.length;
    await expect(source().submit({ script: '#!/bin/sh\n', name: 'a b' })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      field: 'name',
    });
    await expect(source().cancel({ jobId: '../nodes' })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      field: 'jobId',
    });
    await expect(source().cancel({ jobId: '37', signal: 'WINCH' })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      field: 'signal',
    });
    expect(seen.length).toBe(before);
  });

  it("reports a refused submit with Slurm's reason", async () => {
    await expect(
      source().submit({ script: '#!/bin/sh\n', partition: 'nosuchpartition' }),
    ).rejects.toMatchObject({
      code: 'COMMAND_FAILED',
      message: expect.stringContaining('Invalid partition name specified'),
    });
  });

  it('cancels with DELETE, passing a signal by name', async () => {
    await source().cancel({ jobId: '37' });
    expect(last()).toMatchObject({ method: 'DELETE', url: '/slurm/v0.0.38/job/37' });
    await source().cancel({ jobId: '37', signal: 'SIGUSR1' });
    expect(last().url).toBe('/slurm/v0.0.38/job/37?signal=USR1');
    await source().cancel({ jobId: '37', signal: '15' });
    expect(last().url).toBe('/slurm/v0.0.38/job/37?signal=TERM');
    await expect(source().cancel({ jobId: '999999' })).rejects.toMatchObject({
      code: 'COMMAND_FAILED',
      message: expect.stringContaining('Invalid job id specified'),
    });
  });

  it('is TIMEOUT when slurmrestd does not answer in time', async () => {
    await expect(source({ token: HANG_TOKEN, timeoutMs: 200 }).queue()).rejects.toMatchObject({
      code: 'TIMEOUT',
      message: expect.stringContaining('no answer within 200 ms'),
    });
  });

  it('is UNREACHABLE when nothing listens', async () => {
    await expect(
      new SlurmrestdSource({
        url: `http://127.0.0.1:${await freePort()}`,
        user: 'ctlab',
        token: TOKEN,
      }).nodes(),
    ).rejects.toMatchObject({
      code: 'UNREACHABLE',
      message: expect.stringContaining('ECONNREFUSED'),
    });
  });

  it('refuses settings it cannot work with, and keeps credentials out of its description', () => {
    expect(() => new SlurmrestdSource({ url, user: 'ctlab' })).toThrow(/needs a JWT/);
    expect(() => new SlurmrestdSource({ url: 'not a url', user: 'ctlab', token: TOKEN })).toThrow(
      /is not a URL/,
    );
    expect(
      () =>
        new SlurmrestdSource({ url, user: 'ctlab', token: TOKEN, openapiVersion: '0.0.38/../x' }),
    ).toThrow(/openapiVersion/);
    expect(source().description).toBe(`slurmrestd ctlab@${url.slice('http://'.length)} (v0.0.38)`);
    const proxied = new SlurmrestdSource({
      url: 'https://proxy:secret@rest.example.org/slurm-api/',
      user: 'ctlab',
      token: TOKEN,
    });
    expect(proxied.description).toBe('slurmrestd ctlab@rest.example.org/slurm-api (v0.0.38)');
    expect(proxied.description).not.toContain(TOKEN);
  });
});
