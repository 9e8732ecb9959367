import type { INestApplication } from '@nestjs/common';
import {
  DocumentBuilder,
  SwaggerModule,
  type OpenAPIObject,
  type OperationObject,
} from '@nestjs/swagger';
import { API_SCHEMAS } from './schemas';

/** Where the OpenAPI document (JSON) and its browsable UI are served. */
export const OPENAPI_JSON_PATH = '/api/openapi.json';
export const OPENAPI_UI_PATH = '/api/docs';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string, description: string) => ({
  description,
  content: { 'application/json': { schema: ref(name) } },
});

/**
 * What the routes of other modules answer (health, metrics, the lobby), by path: described here,
 * in one place, rather than by decorators in each controller. A route not served by this build
 * is left out of the document.
 */
const ROUTES: Record<string, Partial<OperationObject>> = {
  '/health': {
    tags: ['health'],
    summary: 'Readiness',
    description: '200 when this instance can serve, 503 when Redis is down or it is draining.',
    responses: {
      '200': json('Health', 'Ready'),
      '503': json('Health', 'Not ready (the failing indicator says why)'),
    },
  },
  '/health/live': {
    tags: ['health'],
    summary: 'Liveness',
    responses: { '200': { description: 'The process runs' } },
  },
  '/metrics': {
    tags: ['metrics'],
    summary: 'Prometheus metrics',
    responses: {
      '200': {
        description: 'Prometheus text format',
        content: { 'text/plain': { schema: { type: 'string' } } },
      },
    },
  },
  '/api/redis/metrics': {
    tags: ['metrics'],
    summary: "The store's performance metrics",
    responses: { '200': json('RedisMetrics', 'Operations, errors and latency of the store') },
  },
  '/api/rooms': {
    tags: ['rooms'],
    summary: 'Public rooms, as list_rooms answers them',
    description:
      'Waiting rooms first (most players first), then rooms in play (most recent first).',
    parameters: [
      {
        name: 'limit',
        in: 'query',
        required: false,
        schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
      },
    ],
    responses: {
      '200': json('RoomList', 'The rooms'),
      '400': json('ErrorResponse', 'INVALID_PAYLOAD: a limit out of range'),
      '429': json(
        'ErrorResponse',
        "RATE_LIMITED: the address's requests for the list used up LISTINGS_PER_SECOND (Retry-After)",
      ),
    },
  },
};

/** The OpenAPI document of the app's HTTP routes, with the protocol's schemas. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Hokm server')
    .setDescription(
      'The HTTP routes beside the Socket.IO game protocol (namespace /game, see docs/PROTOCOL.md): ' +
        'health, metrics, public rooms and the records of finished matches.',
    )
    .setVersion('1')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...API_SCHEMAS },
  };
  for (const [path, described] of Object.entries(ROUTES)) {
    const get = document.paths[path]?.get;
    if (get) document.paths[path] = { ...document.paths[path], get: { ...get, ...described } };
  }
  return document;
}

/** Serves the document at OPENAPI_JSON_PATH and Swagger UI at OPENAPI_UI_PATH (built lazily). */
export function serveOpenApi(app: INestApplication): void {
  let document: OpenAPIObject | null = null;
  SwaggerModule.setup(
    OPENAPI_UI_PATH.slice(1),
    app,
    () => (document ??= buildOpenApiDocument(app)),
    {
      jsonDocumentUrl: OPENAPI_JSON_PATH.slice(1),
      raw: ['json'],
      customSiteTitle: 'Hokm server API',
    },
  );
}
