import { Injectable } from '@nestjs/common';
import type { RequestClass } from '@clocktower/contracts';
import { BusClient, type RawJson } from '@clocktower/messaging';

/**
 * How long a request waits for job-projection. Its queries answer in milliseconds; past this it is
 * down or swamped, and the caller gets a 503 with Retry-After instead of a hanging request.
 */
export const PROJECTION_TIMEOUT_MS = 3_000;

/** The gateway's one way to ask job-projection: typed, and never waiting forever. */
@Injectable()
export class ProjectionClient {
  constructor(private readonly client: BusClient) {}

  ask<T extends object, R>(cls: RequestClass<T, R>, data: T): Promise<R> {
    return this.client.request(cls, data, { timeoutMs: PROJECTION_TIMEOUT_MS });
  }

  /** As `ask`, with the answer left as the JSON text job-projection sent, for passing it on. */
  askJson<T extends object, R>(cls: RequestClass<T, R>, data: T): Promise<RawJson> {
    return this.client.requestJson(cls, data, { timeoutMs: PROJECTION_TIMEOUT_MS });
  }
}
