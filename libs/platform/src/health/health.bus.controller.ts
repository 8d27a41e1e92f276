import { Controller, type Type } from '@nestjs/common';
import { getServiceHealthOf, type ServiceHealthReport } from '@clocktower/contracts';
import { HandleRequest } from '@clocktower/messaging';
import type { Readiness } from './readiness.js';

/** Answers GetServiceHealth for this service over the bus, so the gateway can report on all five. */
export function healthBusController(readiness: Readiness): Type {
  @Controller()
  class HealthBusController {
    @HandleRequest(getServiceHealthOf(readiness.service))
    health(): Promise<ServiceHealthReport> {
      return readiness.report();
    }
  }
  return HealthBusController;
}
