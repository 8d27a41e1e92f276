import { Controller, Get, HttpCode, Res, type Type } from '@nestjs/common';
import type { Readiness } from './readiness.js';

interface StatusResponse {
  status(code: number): { json(body: unknown): void };
}

/**
 * `/healthz`: the process is alive (always 200 while it can answer). `/readyz`: every readiness
 * check passes (200), or which one does not and why (503). Both for load balancers and humans.
 */
export function healthHttpController(readiness: Readiness): Type {
  @Controller()
  class HealthHttpController {
    @Get('healthz')
    @HttpCode(200)
    live() {
      return { status: 'ok', service: readiness.service };
    }

    @Get('readyz')
    async ready(@Res() res: StatusResponse): Promise<void> {
      const report = await readiness.report();
      res.status(report.ready ? 200 : 503).json(report);
    }
  }
  return HealthHttpController;
}
