import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { OpenAPIObject, OperationObject, ParameterObject } from '@nestjs/swagger';
import { HttpGateway } from './support/http-gateway.js';

/** Every route of the REST API (issue 4), as method and OpenAPI path. */
const API_ROUTES = [
  'get /api/v1/jobs',
  'get /api/v1/jobs/{cluster}/{jobId}',
  'get /api/v1/jobs/{cluster}/{jobId}/history',
  'get /api/v1/jobs/{cluster}/{jobId}/pending-time',
  'get /api/v1/nodes',
  'get /api/v1/nodes/{cluster}/{name}',
  'get /api/v1/nodes/{cluster}/{name}/history',
  'get /api/v1/clusters',
  'get /api/v1/clusters/{cluster}',
  'get /api/v1/clusters/{cluster}/users',
  'get /api/v1/clusters/{cluster}/as-of',
  'get /api/v1/clusters/{cluster}/changes',
  'get /api/v1/clusters/{cluster}/stats',
  'get /api/v1/users/me/settings',
  'put /api/v1/users/me/settings',
  'get /api/v1/events',
  'get /api/v1/admin/projections',
  'post /api/v1/admin/projections/{name}/rebuild',
];

const JOB_FILTERS = [
  'cluster',
  'user',
  'account',
  'partition',
  'state',
  'node',
  'name',
  'jobIds',
  'arrayJobId',
  'submittedFrom',
  'submittedTo',
  'startedFrom',
  'startedTo',
  'endedFrom',
  'endedTo',
];

describe('the OpenAPI document', () => {
  let gateway: HttpGateway;
  let document: OpenAPIObject;

  const operation = (route: string): OperationObject => {
    const [method, path] = route.split(' ') as [string, string];
    const item = document.paths[path] as Record<string, OperationObject> | undefined;
    const found = item?.[method];
    if (!found) throw new Error(`no ${route} in the document`);
    return found;
  };
  const parameters = (route: string, where?: string): string[] =>
    ((operation(route).parameters ?? []) as ParameterObject[])
      .filter((p) => where === undefined || p.in === where)
      .map((p) => p.name);

  beforeAll(async () => {
    gateway = await HttpGateway.start();
    const response = await gateway.get<OpenAPIObject>('/api/docs/json', { key: null });
    expect(response.status).toBe(200);
    document = response.body;
  });

  afterAll(async () => {
    await gateway?.close();
  });

  it('is OpenAPI 3 and describes every route of the API, behind the bearer scheme', () => {
    expect(document.openapi).toMatch(/^3\./);
    expect(document.components?.securitySchemes?.['bearer']).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    for (const route of API_ROUTES) {
      expect(operation(route).security).toEqual([{ bearer: [] }]);
    }
    for (const route of ['get /healthz', 'get /readyz']) {
      expect(operation(route).security).toBeUndefined();
    }
  });

  it('names every path parameter of every route', () => {
    for (const route of [...API_ROUTES, 'get /healthz']) {
      const inPath = [...route.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(parameters(route, 'path')).toEqual(inPath);
    }
  });

  it('lists the query parameters of each route, typed as their validators check them', () => {
    expect(parameters('get /api/v1/jobs', 'query').sort()).toEqual(
      [...JOB_FILTERS, 'sort', 'order', 'limit', 'cursor', 'page'].sort(),
    );
    expect(parameters('get /api/v1/events', 'query').sort()).toEqual(
      [...JOB_FILTERS, 'lastEventId'].sort(),
    );
    expect(parameters('get /api/v1/events', 'header')).toEqual(['Last-Event-ID']);
    expect(parameters('get /api/v1/nodes', 'query').sort()).toEqual(
      ['cluster', 'state', 'flag', 'partition', 'gpuType', 'limit', 'cursor', 'page'].sort(),
    );
    expect(parameters('get /api/v1/clusters/{cluster}/as-of', 'query')).toEqual(
      expect.arrayContaining(['time']),
    );
    expect(parameters('get /api/v1/clusters/{cluster}/changes', 'query')).toEqual(
      expect.arrayContaining(['from', 'to']),
    );
    expect(parameters('get /api/v1/clusters/{cluster}/stats', 'query').sort()).toEqual([
      'from',
      'step',
      'to',
    ]);

    const jobs = (operation('get /api/v1/jobs').parameters ?? []) as ParameterObject[];
    const byName = Object.fromEntries(jobs.map((p) => [p.name, p]));
    expect(byName['limit']?.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 1000 });
    expect(byName['state']?.schema).toMatchObject({
      type: 'array',
      items: { type: 'string', enum: expect.arrayContaining(['pending', 'FAILED']) },
    });
    expect(byName['submittedFrom']?.schema).toMatchObject({ type: 'string', format: 'date-time' });
    expect(byName['sort']?.schema).toMatchObject({ enum: expect.arrayContaining(['jobId']) });
    const time = (
      operation('get /api/v1/clusters/{cluster}/as-of').parameters as ParameterObject[]
    ).find((p) => p.name === 'time');
    expect(time?.required).toBe(true);
  });

  it('describes the replies, the job record read from its validators', () => {
    const schemas = document.components?.schemas ?? {};
    expect(schemas['JobRecord']).toMatchObject({
      properties: {
        jobId: { type: 'string' },
        startTime: { type: 'string', format: 'date-time', nullable: true },
        requested: { type: 'object' },
      },
    });
    const ok = operation('get /api/v1/jobs').responses['200'] as {
      content: Record<string, { schema: unknown }>;
    };
    expect(ok.content['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/JobPage',
    });
  });

  it('serves a browsable page and the Swagger UI files it loads, without a key', async () => {
    const page = await gateway.get<string>('/api/docs', { key: null });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const scripts = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts).toContain('/api/docs/swagger-ui-bundle.js');
    for (const asset of scripts) {
      expect((await gateway.get(asset, { key: null })).status).toBe(200);
    }
    expect((await gateway.get('/api/docs/package.json', { key: null })).status).toBe(404);
  });
});
