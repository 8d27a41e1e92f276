import { MessageKind, type RequestClass } from '../messages/message-class.js';

export interface ReadinessCheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail?: string;
}

export interface ServiceHealthReport {
  readonly service: string;
  readonly ready: boolean;
  readonly checks: readonly ReadinessCheckResult[];
  readonly uptimeSeconds: number;
  readonly version: string;
}

/** Asks one service whether it is ready. Carries no data. */
export class GetServiceHealth {
  static readonly type = 'GetServiceHealth';
  static readonly schemaVersion = 1;
  static readonly kind = MessageKind.Query;
  static readonly service: string = '*';
  declare static readonly reply?: ServiceHealthReport;
}

const perService = new Map<string, RequestClass<GetServiceHealth, ServiceHealthReport>>();

/** The health query addressed to one service (each service answers on its own subject). */
export function getServiceHealthOf(
  service: string,
): RequestClass<GetServiceHealth, ServiceHealthReport> {
  let cls = perService.get(service);
  if (!cls) {
    cls = class extends GetServiceHealth {
      static override readonly service = service;
    };
    perService.set(service, cls);
  }
  return cls;
}
