import type { ProjectionStatus } from '@clocktower/contracts';
import { until } from '@clocktower/testing';
import { ADMIN, ALICE, BOB, BOB_AUX, createUsers } from './accounts.js';
import { ApiClient } from './api-client.js';
import { knownHistory } from './known-history.js';
import { Stack, type ServiceProcess } from './stack.js';
import { appendEntries, type Timeline } from './timeline.js';

/** The jobs read model, as GET /admin/projections names it. */
export const JOBS_PROJECTION = 'jobs';

export interface E2eFixture {
  readonly stack: Stack;
  readonly timeline: Timeline;
  readonly projection: ServiceProcess;
  readonly gateway: ServiceProcess;
  /** As the admin. */
  readonly admin: ApiClient;
  /** API keys by email. */
  readonly keys: Record<string, string>;
}

export interface FixtureOptions {
  /** More history appended after the known one (a synthetic history for volume). */
  readonly more?: (stack: Stack) => Promise<void>;
  /** Extra environment of the gateway. */
  readonly gatewayEnv?: Record<string, string>;
}

/**
 * A data directory holding the known history and the test users, then job-projection and the
 * gateway started on it as separate processes over NATS; resolves once the projection has folded
 * everything in the store.
 */
export async function startFixture(
  natsUrl: string,
  options: FixtureOptions = {},
): Promise<E2eFixture> {
  const stack = Stack.create(natsUrl);
  try {
    const timeline = knownHistory();
    await appendEntries(stack.store, timeline.take());
    await options.more?.(stack);
    const keys = await createUsers(stack.store, [ADMIN, ALICE, BOB, BOB_AUX]);
    const projection = await stack.start('job-projection');
    const gateway = await stack.start('gateway', options.gatewayEnv ?? {});
    const admin = new ApiClient(gateway.url, keys[ADMIN.email]);
    await caughtUp(stack, admin);
    await soleProjection(stack, admin);
    return { stack, timeline, projection, gateway, admin, keys };
  } catch (error) {
    const output = stack.output();
    await stack.stop();
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}\n--- services:\n${output}`,
      {
        cause: error,
      },
    );
  }
}

export async function projections(admin: ApiClient): Promise<ProjectionStatus[]> {
  return (await admin.ok<{ items: ProjectionStatus[] }>('/api/v1/admin/projections')).items;
}

/** Waits until the jobs projection has folded every event now in the store (lag 0 at the head). */
export async function caughtUp(stack: Stack, admin: ApiClient, timeoutMs = 30_000): Promise<void> {
  const head = (await stack.store.headPosition()).toString();
  let last: ProjectionStatus | undefined;
  await until(
    `the jobs projection at the store's head ${head}`,
    async () => {
      const response = await admin.get<{ items: ProjectionStatus[] }>('/api/v1/admin/projections');
      if (response.status !== 200) return false;
      last = response.body.items.find((p) => p.name === JOBS_PROJECTION);
      return last?.position === head && last.headPosition === head && last.lag === '0';
    },
    timeoutMs,
    50,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}; last status: ${JSON.stringify(last)}`, { cause: error });
  });
}

/**
 * Fails at once, saying why, when another job-projection answers on the same NATS (another test
 * run on the shared lab): the queue group would hand it part of this suite's queries, and the
 * tests would fail in confusing ways. Each answer must come from a projection of this store.
 */
async function soleProjection(stack: Stack, admin: ApiClient): Promise<void> {
  const head = (await stack.store.headPosition()).toString();
  for (let i = 0; i < 16; i++) {
    const foreign = (await projections(admin)).find(
      (p) => p.name === JOBS_PROJECTION && p.headPosition !== head,
    );
    if (foreign) {
      throw new Error(
        `another job-projection answers on ${stack.natsUrl} (its store's head is ` +
          `${foreign.headPosition}, this suite's ${head}): NATS subjects are not per installation, ` +
          'so e2e suites cannot share a NATS server with another running Clocktower',
      );
    }
  }
}
