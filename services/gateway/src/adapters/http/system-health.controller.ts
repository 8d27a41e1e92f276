import { Controller, Get, Res } from '@nestjs/common';
import { getServiceHealthOf, ServiceName, type ServiceHealthReport } from '@clocktower/contracts';
import { BusClient } from '@clocktower/messaging';
import { Public } from '../../auth/auth.decorators.js';

interface StatusResponse {
  status(code: number): { json(body: unknown): void };
}

/** How long the gateway waits for one service's health answer. */
const SERVICE_HEALTH_TIMEOUT_MS = 2_000;

/**
 * The whole system at a glance: every service asked over the bus, side by side. A service that
 * does not answer is reported as not ready with the reason, never waited on forever.
 */
// Public: it holds no secrets, and load balancers and probes carry no API key.
@Public()
@Controller('api/v1/system')
export class SystemHealthController {
  constructor(private readonly client: BusClient) {}

  @Get('health')
  async health(@Res() res: StatusResponse): Promise<void> {
    const services = await Promise.all(
      Object.values(ServiceName).map(
        async (
          service,
        ): Promise<ServiceHealthReport | { service: string; ready: false; error: string }> => {
          try {
            return await this.client.request(
              getServiceHealthOf(service),
              {},
              { timeoutMs: SERVICE_HEALTH_TIMEOUT_MS },
            );
          } catch (error) {
            return {
              service,
              ready: false,
              error: error instanceof Error ? error.message : String(error),
            };
          }
        },
      ),
    );
    const ready = services.every((s) => s.ready);
    res.status(ready ? 200 : 503).json({ ready, services });
  }
}
