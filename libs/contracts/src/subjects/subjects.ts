import type { MessageClass, RequestClass } from '../messages/message-class.js';

/** The five services. Subjects for commands and queries name the one that handles them. */
export const ServiceName = {
  Gateway: 'gateway',
  SlurmCollector: 'slurm-collector',
  JobProjection: 'job-projection',
  PipelineOrchestrator: 'pipeline-orchestrator',
  ServiceManager: 'service-manager',
} as const;
export type ServiceName = (typeof ServiceName)[keyof typeof ServiceName];

export const DEFAULT_SUBJECT_PREFIX = 'ct';

const TOKEN = /^[A-Za-z0-9_-]+$/;

function token(value: string, what: string): string {
  if (!TOKEN.test(value)) {
    throw new Error(`${what} ${JSON.stringify(value)} is not a valid NATS subject token`);
  }
  return value;
}

/**
 * Every NATS subject comes from here; services never write a subject literal.
 *   ct.command.<service>.<Type>     request/reply, queue group per service
 *   ct.query.<service>.<Type>       request/reply, queue group per service
 *   ct.event.<category>.<Type>      notifications of stored events (fan-out)
 */
export const Subjects = {
  /** The subject a command or query class is sent on. */
  of(cls: RequestClass, prefix = DEFAULT_SUBJECT_PREFIX): string {
    return `${prefix}.${cls.kind}.${token(cls.service, 'service')}.${token(cls.type, 'type')}`;
  },
  /** The notification subject of an event class within its stream category. */
  event(category: string, cls: MessageClass | string, prefix = DEFAULT_SUBJECT_PREFIX): string {
    const type = typeof cls === 'string' ? cls : cls.type;
    return `${prefix}.event.${token(category, 'category')}.${token(type, 'type')}`;
  },
  /** All notifications of one category, or of every category. */
  events(category?: string, prefix = DEFAULT_SUBJECT_PREFIX): string {
    return category ? `${prefix}.event.${token(category, 'category')}.>` : `${prefix}.event.>`;
  },
  /** The queue group that replicas of one service share. */
  queueGroup(service: string): string {
    return token(service, 'service');
  },
} as const;
