import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import { CurrentScope } from '../../../auth/auth.decorators.js';
import type { QueryScope } from '../../../auth/scope.js';
import { checkRanges, jobQueryOf } from '../jobs/job-filter.params.js';
import { ApiProjectionRoute } from '../openapi/api-responses.decorator.js';
import { DtoPipe } from '../validation/dto.pipe.js';
import { Problems } from '../validation/problems.js';
import { ChangeStreamParams, POSITION } from './change-stream.params.js';
import { ChangeStreams } from './change-streams.js';

const DESCRIPTION = `Server-Sent Events: every job and node change matching the filters, oldest first.

Each change is an event named after its type (\`event: JobStateChanged\`) whose \`data\` is the
change as JSON (its type, times, data, and the job or node right after it) and whose \`id\` is its
position. First comes \`event: ready\` with the position the stream starts after.

Resuming: a client that reconnects with \`Last-Event-ID\` (browsers' EventSource does it by itself),
or \`?lastEventId=\`, gets every change after that one: nothing lost, nothing twice. Without either,
the stream starts from now; \`lastEventId=0\` replays all of history.

While job-projection does not answer, the stream sends \`event: error\` with the reason once and
keeps retrying; a comment line every 15 s keeps idle connections open through proxies.`;

@ApiTags('events')
@ApiProjectionRoute()
@Controller('api/v1/events')
export class EventsController {
  constructor(private readonly streams: ChangeStreams) {}

  @Get()
  @ApiOperation({
    summary: 'Live job and node changes (Server-Sent Events), resumable',
    description: DESCRIPTION,
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'Resume after this event id (a position).',
  })
  @ApiOkResponse({ description: 'An event stream (`text/event-stream`).' })
  async stream(
    @Query(DtoPipe) params: ChangeStreamParams,
    @Headers('last-event-id') lastEventIdHeader: string | undefined,
    @CurrentScope() scope: QueryScope,
    @Res() response: ServerResponse,
  ): Promise<void> {
    const { lastEventId, ...filters } = params;
    const query = jobQueryOf(filters);
    const problems = checkRanges(query, new Problems());
    if (lastEventIdHeader !== undefined && !POSITION.test(lastEventIdHeader)) {
      problems.add('Last-Event-ID', 'Last-Event-ID must be an event id (a decimal position)');
    }
    problems.throwIfAny('event stream parameters');
    await this.streams.serve(
      response,
      { ...query, ...scope },
      lastEventIdHeader ?? lastEventId ?? null,
    );
  }
}
