import type { ReferenceObject, SchemaObject } from '@nestjs/swagger';
import { JobRecord, NodeRecord } from '@clocktower/contracts';
import { objectSchemaOf } from './validation-schema.js';

/**
 * Schemas of the API's replies. The records (JobRecord, NodeRecord) are read from their
 * validators; the views around them are interfaces in libs/contracts (no runtime shape to read),
 * so their few added fields are spelled out here beside the type they mirror.
 */

const string: SchemaObject = { type: 'string' };
const nullableString: SchemaObject = { type: 'string', nullable: true };
const time: SchemaObject = { type: 'string', format: 'date-time' };
const nullableTime: SchemaObject = { ...time, nullable: true };
const integer: SchemaObject = { type: 'integer' };
const position: SchemaObject = {
  type: 'string',
  pattern: '^[0-9]+$',
  description: 'A global position in the event store, as a decimal string.',
};
const counts: SchemaObject = { type: 'object', additionalProperties: { type: 'integer' } };

export const ApiSchema = {
  JobRecord: 'JobRecord',
  NodeRecord: 'NodeRecord',
  JobView: 'JobView',
  NodeView: 'NodeView',
  JobPage: 'JobPage',
  NodePage: 'NodePage',
  HistoryEntry: 'HistoryEntry',
  JobHistory: 'JobHistory',
  NodeHistory: 'NodeHistory',
  JobPendingTime: 'JobPendingTime',
  ChangeEntry: 'ChangeEntry',
  ChangePage: 'ChangePage',
  ClusterView: 'ClusterView',
  ClusterList: 'ClusterList',
  ClusterUsers: 'ClusterUsers',
  ClusterAsOf: 'ClusterAsOf',
  ClusterStats: 'ClusterStats',
  ProjectionStatus: 'ProjectionStatus',
  ProjectionList: 'ProjectionList',
  RebuildStarted: 'RebuildStarted',
  Error: 'Error',
} as const;
export type ApiSchema = (typeof ApiSchema)[keyof typeof ApiSchema];

export function ref(name: ApiSchema): ReferenceObject {
  return { $ref: `#/components/schemas/${name}` };
}

function object(properties: Record<string, SchemaObject | ReferenceObject>): SchemaObject {
  return { type: 'object', properties, required: Object.keys(properties) };
}

function extend(base: ApiSchema, properties: Record<string, SchemaObject>): SchemaObject {
  return { allOf: [ref(base), object(properties)] };
}

function pageOf(item: ApiSchema): SchemaObject {
  return object({
    items: { type: 'array', items: ref(item) },
    total: { ...integer, description: 'How many match, all pages together.' },
    nextCursor: { ...nullableString, description: 'Pass as `cursor` for the next page.' },
  });
}

/** A page as the list routes answer it: with the limit it was read at, and the page number. */
function apiPageOf(item: ApiSchema): SchemaObject {
  const page = pageOf(item);
  return {
    ...page,
    properties: {
      ...page.properties,
      limit: integer,
      page: { ...integer, description: 'Present when the request asked for a page number.' },
    },
    required: [...(page.required ?? []), 'limit'],
  };
}

function listOf(item: ApiSchema): SchemaObject {
  return object({ items: { type: 'array', items: ref(item) } });
}

const history = {
  position,
  stream: string,
  revision: integer,
  eventId: string,
  type: { ...string, example: 'JobStateChanged' },
  occurredAt: { ...time, description: 'When Clocktower observed it.' },
  slurmTime: { ...nullableTime, description: "Slurm's own time of the change." },
  correlationId: string,
  causationId: string,
  data: { type: 'object', additionalProperties: true },
};

const views = {
  stream: string,
  updatedAt: time,
  position,
};

/** Every reply schema, for the document's `components.schemas`. */
export function responseSchemas(): Record<ApiSchema, SchemaObject> {
  return {
    JobRecord: objectSchemaOf(JobRecord),
    NodeRecord: objectSchemaOf(NodeRecord),
    JobView: extend(ApiSchema.JobRecord, views),
    NodeView: extend(ApiSchema.NodeRecord, { ...views, removed: { type: 'boolean' } }),
    JobPage: apiPageOf(ApiSchema.JobView),
    NodePage: apiPageOf(ApiSchema.NodeView),
    HistoryEntry: object(history),
    JobHistory: object({
      cluster: string,
      jobId: string,
      stream: string,
      events: { type: 'array', items: ref(ApiSchema.HistoryEntry) },
    }),
    NodeHistory: object({
      cluster: string,
      name: string,
      stream: string,
      events: { type: 'array', items: ref(ApiSchema.HistoryEntry) },
    }),
    JobPendingTime: object({
      cluster: string,
      jobId: string,
      totalSeconds: { type: 'number' },
      byReason: {
        type: 'array',
        items: object({ reason: { ...string, example: 'Priority' }, seconds: { type: 'number' } }),
      },
      pending: { type: 'boolean' },
      asOf: time,
    }),
    ChangeEntry: object({
      ...history,
      kind: { type: 'string', enum: ['job', 'node', 'cluster'] },
      cluster: string,
      key: { ...nullableString, description: 'The job id or node name.' },
      after: {
        nullable: true,
        oneOf: [ref(ApiSchema.JobRecord), ref(ApiSchema.NodeRecord)],
        description: 'The job or node right after this change.',
      },
    }),
    ChangePage: apiPageOf(ApiSchema.ChangeEntry),
    ClusterView: object({
      cluster: string,
      simulated: { type: 'boolean' },
      source: nullableString,
      reachable: { type: 'boolean' },
      unreachableReason: nullableString,
      lastPollAt: nullableTime,
      jobsByState: counts,
      nodesByState: counts,
      cpus: object({ total: integer, allocated: integer }),
      gpus: object({ total: integer, allocated: integer }),
      updatedAt: nullableTime,
    }),
    ClusterList: listOf(ApiSchema.ClusterView),
    ClusterUsers: object({
      items: {
        type: 'array',
        items: object({ cluster: string, user: string, jobsByState: counts, total: integer }),
      },
    }),
    ClusterAsOf: object({
      cluster: string,
      time,
      jobs: pageOf(ApiSchema.JobRecord),
      jobsByState: counts,
      nodes: { type: 'array', items: ref(ApiSchema.NodeRecord) },
    }),
    ClusterStats: object({
      cluster: string,
      from: time,
      to: time,
      step: { ...integer, description: 'Seconds per point.' },
      points: {
        type: 'array',
        items: object({
          at: { ...time, description: 'The end of the bucket (at − step, at].' },
          jobs: { ...counts, description: 'Jobs per state at `at`.' },
          cpus: object({ used: integer, total: integer }),
          gpus: object({ used: integer, total: integer }),
          waits: {
            ...object({
              count: integer,
              meanSeconds: { type: 'number', nullable: true },
              maxSeconds: { type: 'number', nullable: true },
            }),
            description: 'Queue waits of the jobs that started in the bucket (null: none did).',
          },
        }),
      },
    }),
    ProjectionStatus: object({
      name: string,
      status: { type: 'string', enum: ['catching-up', 'live', 'rebuilding', 'failed'] },
      position,
      headPosition: position,
      lag: { ...position, description: 'Events stored but not yet folded in.' },
      parked: integer,
      rebuild: {
        ...object({
          startedAt: time,
          eventsDone: integer,
          eventsTotal: integer,
          eventsPerSecond: { type: 'number' },
          etaSeconds: { type: 'number', nullable: true },
          finishedAt: nullableTime,
          error: nullableString,
        }),
        nullable: true,
      },
      pageCache: {
        ...object({
          maxBytes: { ...integer, description: 'Its bound (0: off).' },
          bytes: integer,
          pages: integer,
          hits: integer,
          misses: integer,
        }),
        description:
          "The answering replica's job list pages kept while its model does not move; hits and misses since it started.",
      },
    }),
    ProjectionList: listOf(ApiSchema.ProjectionStatus),
    RebuildStarted: object({
      started: { type: 'boolean', description: 'False: a rebuild was already running.' },
      status: ref(ApiSchema.ProjectionStatus),
    }),
    Error: {
      type: 'object',
      properties: {
        statusCode: integer,
        error: { ...string, example: 'Bad Request' },
        message: string,
        issues: {
          type: 'array',
          description: 'Each bad field (400 only).',
          items: object({ path: string, problems: { type: 'array', items: string } }),
        },
      },
      required: ['statusCode', 'error', 'message'],
    },
  };
}
