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

/** One NATS subject token as Clocktower names them: letters, digits, `-` and `_`. */
export const SUBJECT_TOKEN = /^[A-Za-z0-9_-]+$/;
const TOKEN = SUBJECT_TOKEN;

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
 * `ct` is the installation's prefix (CLOCKTOWER_SUBJECT_PREFIX): two installations on one NATS
 * with different prefixes never see each other's messages. Handlers are declared with the default
 * prefix (decorators run before configuration is read); BusTransport `rebase`s them onto the bus's
 * prefix (MessageBus.subjectPrefix) when it subscribes.
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
  /** A subject written with the default prefix, moved onto `prefix` (anything else unchanged). */
  rebase(subject: string, prefix: string): string {
    if (prefix === DEFAULT_SUBJECT_PREFIX || !subject.startsWith(`${DEFAULT_SUBJECT_PREFIX}.`)) {
      return subject;
    }
    return `${token(prefix, 'subject prefix')}${subject.slice(DEFAULT_SUBJECT_PREFIX.length)}`;
  },
  /**
   * The queue group that replicas of one service share. NATS scopes a queue group to its subject,
   * so installations with different prefixes (different subjects) never share one.
   */
  queueGroup(service: string): string {
    return token(service, 'service');
  },
} as const;
