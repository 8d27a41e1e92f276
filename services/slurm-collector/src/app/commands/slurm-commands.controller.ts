import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  CancelJob,
  SubmitJob,
  type CancelJobReply,
  type Message,
  type SubmitJobReply,
} from '@clocktower/contracts';
import { HandleRequest } from '@clocktower/messaging';
import type { JobSubmitter } from './job-submitter.js';

/** SubmitJob and CancelJob over the bus (queue group slurm-collector). */
export function slurmCommandsController(submitter: JobSubmitter): new () => object {
  @Controller()
  class SlurmCommandsController {
    @HandleRequest(SubmitJob)
    submit(@Payload() command: Message<SubmitJob>): Promise<SubmitJobReply> {
      return submitter.submit(command);
    }

    @HandleRequest(CancelJob)
    cancel(@Payload() command: Message<CancelJob>): Promise<CancelJobReply> {
      return submitter.cancel(command);
    }
  }
  return SlurmCommandsController;
}
