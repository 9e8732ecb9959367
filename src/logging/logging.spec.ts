import {
  Controller,
  Get,
  INestApplication,
  Logger,
  ServiceUnavailableException,
  UseFilters,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import request from 'supertest';
import { DomainErrorHttpFilter } from '../common/domain-error-http.filter';
import { loadConfig } from '../config/app-config';
import { requestLevel } from './logger-params';
import { LoggingModule } from './logging.module';
import { formatReadable } from './readable-format';

@Controller()
class ProbeController {
  private readonly logger = new Logger('RoomsService');

  @Get('health')
  health() {
    return { status: 'ok' };
  }

  @Get('busy')
  busy() {
    throw new ServiceUnavailableException();
  }

  @Get('rooms')
  rooms() {
    this.logger.log({ roomCode: 'ABCD' }, 'listed rooms');
    return [];
  }
}

/** An API route behind the API's error filter that fails in a way nobody planned for. */
@Controller('api')
@UseFilters(DomainErrorHttpFilter)
class FailingController {
  @Get('broken')
  broken() {
    throw new TypeError('cannot read the record');
  }
}

// One app for the file: nestjs-pino keeps one root logger per process.
const lines: string[] = [];
let app: INestApplication;

/** The JSON objects written since `from`. */
const written = (from = 0) =>
  lines.slice(from).map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
  const config = loadConfig({ LOG_LEVEL: 'log', LOG_FORMAT: 'json' });
  const capture: DestinationStream = { write: (line: string) => void lines.push(line) };
  const moduleRef = await Test.createTestingModule({
    imports: [LoggingModule.forRoot(config, capture)],
    controllers: [ProbeController, FailingController],
  }).compile();
  app = moduleRef.createNestApplication({ bufferLogs: true });
  app.useLogger(app.get(PinoNestLogger));
  await app.init();
});

afterAll(async () => {
  await app.close();
});

describe('logs through nestjs-pino', () => {
  it("a Nest Logger call with a fields object writes them as JSON fields, with the class's context", () => {
    const from = lines.length;

    new Logger('RoomsService').log({ roomCode: 'ABCD', playerId: 'p1' }, 'created room');

    const [entry] = written(from);
    expect(entry).toMatchObject({
      level: 'info',
      context: 'RoomsService',
      roomCode: 'ABCD',
      playerId: 'p1',
      msg: 'created room',
    });
    expect(new Date(entry?.time as string).toISOString()).toBe(entry?.time);
  });

  it('a session token or a hand in a logged object is censored', () => {
    const from = lines.length;

    new Logger('PlayService').warn(
      {
        roomCode: 'ABCD',
        sessionToken: 's3cret',
        hand: ['A_hearts'],
        seat: { hand: ['K_spades'] },
      },
      'odd request',
    );

    const text = lines.slice(from).join('');
    expect(text).not.toContain('s3cret');
    expect(text).not.toContain('A_hearts');
    expect(text).not.toContain('K_spades');
    expect(written(from)[0]).toMatchObject({ roomCode: 'ABCD', sessionToken: '[redacted]' });
  });

  it('below LOG_LEVEL nothing is written', () => {
    const from = lines.length;
    new Logger('RoomsService').debug({ roomCode: 'ABCD' }, 'details');
    expect(lines.length).toBe(from);
  });

  it('an HTTP request gets one line with method, url and status, and no headers', async () => {
    const from = lines.length;

    await request(app.getHttpServer()).get('/rooms').set('Cookie', 'HOKM_SERVER=s1').expect(200);

    const entries = written(from);
    const requestLine = entries.find((e) => e.res !== undefined);
    expect(requestLine).toMatchObject({
      level: 'info',
      msg: 'GET /rooms 200',
      req: { method: 'GET', url: '/rooms' },
      res: { statusCode: 200 },
    });
    expect(requestLine?.reqId).toEqual(expect.any(Number));
    expect(lines.slice(from).join('')).not.toContain('HOKM_SERVER');
    // A line logged while the request ran is a line of its own: no request in it, and (no async
    // context is entered per request) no request id either.
    const during = entries.find((e) => e.msg === 'listed rooms');
    expect(during).toMatchObject({ roomCode: 'ABCD', context: 'RoomsService' });
    expect(during).not.toHaveProperty('req');
    expect(during).not.toHaveProperty('reqId');
  });

  it('a 5xx answer is an error line with the status in its message and no made-up stack', async () => {
    const from = lines.length;

    await request(app.getHttpServer()).get('/busy').expect(503);

    const requestLine = written(from).find((e) => e.res !== undefined);
    expect(requestLine).toMatchObject({
      level: 'error',
      msg: 'GET /busy 503: failed with status code 503',
      res: { statusCode: 503 },
    });
    expect(requestLine).not.toHaveProperty('err');
  });

  it("an unexpected error behind the API's filter is logged with its stack and its request's reqId", async () => {
    const from = lines.length;

    const answer = await request(app.getHttpServer()).get('/api/broken?x=1').expect(500);

    expect(answer.body).toEqual({
      error: { code: 'INTERNAL_ERROR', message: 'Something went wrong on the server.' },
    });
    const entries = written(from);
    const requestLine = entries.find((e) => e.res !== undefined);
    const errorLine = entries.find((e) => e.context === 'DomainErrorHttpFilter');
    expect(requestLine?.reqId).toEqual(expect.any(Number));
    expect(errorLine).toMatchObject({
      level: 'error',
      msg: 'GET /api/broken?x=1 failed',
      reqId: requestLine?.reqId,
      err: { type: 'TypeError', message: 'cannot read the record' },
    });
    expect((errorLine?.err as { stack?: string }).stack).toContain('FailingController.broken');
    // The client is told nothing of it.
    expect(answer.text).not.toContain('cannot read');
  });

  it('a successful probe is not logged at the default level', async () => {
    const from = lines.length;
    await request(app.getHttpServer()).get('/health').expect(200);
    expect(lines.length).toBe(from);
  });
});

describe('requestLevel', () => {
  it.each([
    ['/health', 200, 'debug'],
    ['/health/live', 200, 'debug'],
    ['/metrics', 200, 'debug'],
    ['/health', 503, 'warn'],
    ['/api/redis/metrics', 200, 'info'],
    ['/nope', 404, 'warn'],
    ['/api/redis/metrics', 500, 'error'],
    ['/healthy', 200, 'info'],
  ] as const)('%s answering %i is logged at %s', (url, status, level) => {
    expect(requestLevel(url, status, false)).toBe(level);
  });
});

describe('the readable format', () => {
  it('reads as a Nest line, fields as key=value after the message', () => {
    const from = lines.length;
    new Logger('RoomsService').log({ roomCode: 'ABCD', playerId: 'p1', name: 'Dara K' }, 'joined');

    const { text, stderr } = formatReadable(lines[from] as string);

    expect(text).toMatch(
      /^\[Nest\] \d+ {2}- \d{4}-\d\d-\d\dT[\d:.]+Z {5}LOG \[RoomsService\] joined roomCode=ABCD playerId=p1 name="Dara K"$/,
    );
    expect(stderr).toBe(false);
  });

  it('an error goes to stderr with its stack below the line', () => {
    const from = lines.length;
    new Logger('PlayService').error({ roomCode: 'ABCD', err: new Error('boom') }, 'move failed');

    const { text, stderr } = formatReadable(lines[from] as string);

    const [head, ...stack] = text.split('\n');
    expect(head).toMatch(/ERROR \[PlayService\] move failed roomCode=ABCD$/);
    expect(stack[0]).toBe('Error: boom');
    expect(stack.length).toBeGreaterThan(1);
    expect(stderr).toBe(true);
  });

  it('a warning with an error keeps to one line, the error as its message', () => {
    const from = lines.length;
    new Logger('InstanceLiveness').warn(
      { err: new Error('Connection is closed.') },
      'heartbeat not recorded',
    );

    const { text, stderr } = formatReadable(lines[from] as string);

    expect(text).toMatch(
      /WARN \[InstanceLiveness\] heartbeat not recorded err="Connection is closed\."$/,
    );
    expect(stderr).toBe(false);
  });

  it('a request line has the HTTP context', async () => {
    const from = lines.length;
    await request(app.getHttpServer()).get('/rooms').expect(200);
    const requestLine = lines.slice(from).find((l) => l.includes('"res"')) as string;

    expect(formatReadable(requestLine).text).toMatch(
      /LOG \[HTTP\] GET \/rooms 200 reqId=\d+ req=\{"method":"GET","url":"\/rooms",/,
    );
  });

  it('a line that is not JSON is passed through', () => {
    expect(formatReadable('plain words').text).toBe('plain words');
  });
});
