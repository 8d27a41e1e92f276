import { InProcessMessageBus, NatsMessageBus, type MessageBus } from '@clocktower/messaging';
import type { LoggerService } from '@nestjs/common';
import { BusKind, type PlatformConfig } from '../platform.config.js';

export async function connectMessageBus(
  config: Pick<PlatformConfig, 'bus' | 'natsUrl' | 'subjectPrefix'>,
  name: string,
  logger: LoggerService,
): Promise<MessageBus> {
  const onHandlerError = (error: unknown, subject: string): void => {
    logger.warn({
      msg: 'notification handler failed',
      subject,
      error: error instanceof Error ? error.message : String(error),
    });
  };
  const { subjectPrefix } = config;
  if (config.bus === BusKind.InProcess) {
    return new InProcessMessageBus({ onHandlerError, subjectPrefix });
  }
  return NatsMessageBus.connect({
    servers: config.natsUrl.split(','),
    name,
    onHandlerError,
    subjectPrefix,
  });
}
