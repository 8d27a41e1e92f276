import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '@clocktower/config';
import { StreamCategory } from '@clocktower/contracts';
import type { EventStore, RecordedEvent } from '@clocktower/event-store';
import { InProcessMessageBus } from '@clocktower/messaging';
import { openEventStore, startService, type RunningService } from '@clocktower/platform';
import { until } from '@clocktower/testing';
import { GatewayConfig } from '../../src/app/config.js';
import { GatewayDefinition } from '../../src/app/gateway.definition.js';
import { hashApiKey } from '../../src/auth/api-key.js';
import { RecordingLogger } from '../support/recording-logger.js';
import { bearer, createUserWithKey, type TestUserKey } from '../support/users.js';

interface UserBody {
  userId: string;
  email: string;
  name: string;
  role: string;
  slurmUser: string;
  clusters: string[] | null;
  createdBy: string;
  keys: { keyId: string; label: string; revokedAt: string | null; revokedBy: string | null }[];
}
interface ErrorBody {
  statusCode: number;
  message: string;
  code?: string;
  issues?: { path: string; problems: string[] }[];
}

describe('admin API for users and keys (the gateway over HTTP, SQLite store)', () => {
  let dataDir: string;
  let store: EventStore;
  let bus: InProcessMessageBus;
  let gateway: RunningService;
  let logger: RecordingLogger;
  let url: string;
  let root: TestUserKey;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ct-admin-users-'));
    const config = parseConfig(GatewayConfig, {
      PORT: '0',
      CLOCKTOWER_BUS: 'in-process',
      CLOCKTOWER_DATA: dataDir,
    });
    store = await openEventStore(config);
    bus = new InProcessMessageBus();
    logger = new RecordingLogger();
    root = await createUserWithKey(store, { email: 'root@example.org', role: 'admin' });
    gateway = await startService(GatewayDefinition, { config, bus, store, logger, http: true });
    url = gateway.url!;
    await until('the gateway ready', async () => (await fetch(`${url}/readyz`)).ok, 10_000, 20);
  });

  afterAll(async () => {
    await gateway?.close();
    await bus?.close();
    await store?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const call = async <T = unknown>(
    method: string,
    path: string,
    key: string | undefined,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: T; headers: Headers }> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(key ? bearer(key) : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: (text ? JSON.parse(text) : undefined) as T,
      headers: response.headers,
    };
  };

  async function userEvents(): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for await (const e of store.readAll({ category: StreamCategory.User })) events.push(e);
    return events;
  }

  it('creates a user (201, Location), recording the acting admin and the request’s correlation id', async () => {
    const created = await call<UserBody>(
      'POST',
      '/api/v1/admin/users',
      root.key,
      { email: 'Ada@Example.org', name: 'Ada Lovelace', slurmUser: 'ada', clusters: ['lab'] },
      { 'x-correlation-id': 'req-create-ada' },
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      email: 'ada@example.org',
      name: 'Ada Lovelace',
      role: 'user',
      slurmUser: 'ada',
      clusters: ['lab'],
      createdBy: root.userId,
      keys: [],
    });
    expect(created.headers.get('location')).toBe(`/api/v1/admin/users/${created.body.userId}`);
    const event = (await userEvents()).find(
      (e) => e.type === 'UserCreated' && e.stream.endsWith(created.body.userId),
    );
    expect(event).toMatchObject({
      correlationId: 'req-create-ada',
      data: { createdBy: root.userId },
    });

    const fetched = await call<UserBody>(
      'GET',
      `/api/v1/admin/users/${created.body.userId}`,
      root.key,
    );
    expect(fetched.body).toEqual(created.body);
    const list = await call<{ items: UserBody[]; total: number }>(
      'GET',
      '/api/v1/admin/users',
      root.key,
    );
    expect(list.body.items.map((u) => u.email)).toEqual(['ada@example.org', 'root@example.org']);
    expect(list.body.total).toBe(2);
  });

  it('refuses a second user with the same email, in any case, with 409 DUPLICATE_EMAIL', async () => {
    const again = await call<ErrorBody>('POST', '/api/v1/admin/users', root.key, {
      email: 'ADA@example.org',
      name: 'Impostor',
      slurmUser: 'ada',
    });
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/ada@example.org already exists/);
  });

  it('answers 400 naming every bad field of a new user', async () => {
    const bad = await call<ErrorBody>('POST', '/api/v1/admin/users', root.key, {
      email: 'not-an-email',
      name: '',
      role: 'owner',
      slurmUser: 'has space',
      clusters: ['Lab!'],
      extra: 1,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.issues?.map((i) => i.path).sort()).toEqual(
      ['clusters', 'email', 'extra', 'name', 'role', 'slurmUser'].sort(),
    );
  });

  it('updates only what is given; an empty update is 400; an unknown user is 404', async () => {
    const ada = await createUserWithKey(store, { email: 'ada@example.org' });
    const patched = await call<UserBody>('PATCH', `/api/v1/admin/users/${ada.userId}`, root.key, {
      clusters: null,
      name: 'Ada King',
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'Ada King', clusters: null, slurmUser: 'ada' });
    const updated = (await userEvents()).filter((e) => e.type === 'UserUpdated').at(-1);
    expect(updated?.data).toEqual({
      userId: ada.userId,
      name: 'Ada King',
      clusters: null,
      updatedBy: root.userId,
    });

    const empty = await call<ErrorBody>('PATCH', `/api/v1/admin/users/${ada.userId}`, root.key, {});
    expect(empty.status).toBe(400);
    const unknown = await call<ErrorBody>(
      'PATCH',
      `/api/v1/admin/users/${'0'.repeat(24)}`,
      root.key,
      {
        name: 'x',
      },
    );
    expect(unknown.status).toBe(404);
    expect((await call('GET', `/api/v1/admin/users/${'0'.repeat(24)}`, root.key)).status).toBe(404);
    expect((await call<ErrorBody>('GET', '/api/v1/admin/users/nope', root.key)).status).toBe(400);
  });

  it('refuses to demote the only admin with 409', async () => {
    const demote = await call<ErrorBody>('PATCH', `/api/v1/admin/users/${root.userId}`, root.key, {
      role: 'user',
    });
    expect(demote.status).toBe(409);
    expect(demote.body.message).toMatch(/only admin/);
  });

  it('creates a key that is shown once, stored only as its SHA-256, and works at once', async () => {
    const grace = await call<UserBody>('POST', '/api/v1/admin/users', root.key, {
      email: 'grace@example.org',
      name: 'Grace',
      slurmUser: 'grace',
    });
    const created = await call<{
      keyId: string;
      key: string;
      label: string;
      userId: string;
      createdBy: string;
    }>('POST', `/api/v1/admin/users/${grace.body.userId}/keys`, root.key, { label: 'laptop' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      userId: grace.body.userId,
      label: 'laptop',
      createdBy: root.userId,
    });
    expect(created.body.key).toMatch(new RegExp(`^ct_${created.body.keyId}_[A-Za-z0-9]{43}$`));

    const events = await userEvents();
    const stored = events.find(
      (e) => e.type === 'ApiKeyCreated' && e.data['keyId'] === created.body.keyId,
    );
    expect(stored?.data).toEqual({
      userId: grace.body.userId,
      keyId: created.body.keyId,
      sha256: hashApiKey(created.body.key),
      label: 'laptop',
      createdBy: root.userId,
    });
    const secret = created.body.key.split('_')[2]!;
    expect(JSON.stringify(events.map((e) => e.data))).not.toContain(secret);
    expect(logger.text()).not.toContain(secret);

    // Read-your-writes: the key works on the very next request.
    const me = await call<UserBody & { currentKeyId: string; access: unknown }>(
      'GET',
      '/api/v1/users/me',
      created.body.key,
    );
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      email: 'grace@example.org',
      currentKeyId: created.body.keyId,
      access: { jobsOfUser: 'grace', clusters: null },
    });
    expect(JSON.stringify(me.body)).not.toMatch(/sha256|[0-9a-f]{64}/);
  });

  it('revokes a key (who and when recorded); the key then gets 401; revoking again is 409', async () => {
    const bob = await createUserWithKey(store, { email: 'bob@example.org' });
    await until(
      'bob known',
      async () => (await call('GET', '/api/v1/users/me', bob.key)).status === 200,
    );
    const path = `/api/v1/admin/users/${bob.userId}/keys/${bob.keyId}`;
    const revoked = await call<{ keyId: string; revokedAt: string; revokedBy: string }>(
      'DELETE',
      path,
      root.key,
    );
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ keyId: bob.keyId, revokedBy: root.userId });
    expect(Date.parse(revoked.body.revokedAt)).not.toBeNaN();
    expect((await call('GET', '/api/v1/users/me', bob.key)).status).toBe(401);
    expect((await call<ErrorBody>('DELETE', path, root.key)).status).toBe(409);
    expect(
      (await call('DELETE', `/api/v1/admin/users/${bob.userId}/keys/NOSUCHKEY000`, root.key))
        .status,
    ).toBe(404);
  });

  it('lets a user see their own profile but answers 403 on every admin route', async () => {
    const carol = await createUserWithKey(store, { email: 'carol@example.org' });
    await until(
      'carol known',
      async () => (await call('GET', '/api/v1/users/me', carol.key)).status === 200,
    );
    const me = await call<UserBody>('GET', '/api/v1/users/me', carol.key);
    expect(me.body.keys).toEqual([
      expect.objectContaining({ keyId: carol.keyId, revokedAt: null }),
    ]);
    for (const [method, path, body] of [
      ['GET', '/api/v1/admin/users', undefined],
      ['GET', `/api/v1/admin/users/${carol.userId}`, undefined],
      ['POST', '/api/v1/admin/users', { email: 'x@example.org', name: 'x', slurmUser: 'x' }],
      ['PATCH', `/api/v1/admin/users/${carol.userId}`, { role: 'admin' }],
      ['POST', `/api/v1/admin/users/${carol.userId}/keys`, { label: 'mine' }],
      ['DELETE', `/api/v1/admin/users/${carol.userId}/keys/${carol.keyId}`, undefined],
    ] as const) {
      expect([method, path, (await call(method, path, carol.key, body)).status]).toEqual([
        method,
        path,
        403,
      ]);
    }
    expect((await call('GET', '/api/v1/admin/users', undefined)).status).toBe(401);
  });

  it('serves the system health without a key, for probes', async () => {
    const health = await call('GET', '/api/v1/system/health', undefined);
    expect(health.status).not.toBe(401);
  });

  it('reports the user directory in its readiness', async () => {
    const ready = await call<{ checks: { name: string; ok: boolean; detail?: string }[] }>(
      'GET',
      '/readyz',
      undefined,
    );
    expect(ready.body.checks).toContainEqual({
      name: 'user-directory',
      ok: true,
      detail: expect.stringMatching(/^\d+ users, \d+ active API keys$/),
    });
  });
});
