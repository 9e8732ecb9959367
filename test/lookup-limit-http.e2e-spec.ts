// The failed-lookup budget on an HTTP route (LookupLimitInterceptor), on a real Nest HTTP app and
// a real Redis: a route that looks something up by an id the client names answers 404 for an
// unknown id until the address's budget is spent, then 429 RATE_LIMITED (with Retry-After) for
// any id, the known one too, while other addresses are served; X-Forwarded-For counts only from
// the trusted proxy (supertest connects from 127.0.0.1, the proxy here).
import {
  Controller,
  Get,
  INestApplication,
  NotFoundException,
  Param,
  UseInterceptors,
} from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AbuseModule } from '../src/abuse/abuse.module';
import { LookupLimitInterceptor } from '../src/abuse/lookup-limit.interceptor';
import { MetricsRegistryModule } from '../src/common/metrics-registry';
import { ConfigModule } from '../src/config/config.module';
import { RedisStoreModule } from '../src/redis/redis.module';
import { cleanupConfigKeys, testConfig } from './support/config';

const FAILURES = 3;

/** A lookup by id as the match records route does it: 404 for an unknown id. */
@Controller('lookup')
class LookupController {
  @Get(':id')
  @UseInterceptors(LookupLimitInterceptor)
  find(@Param('id') id: string): { id: string } {
    if (id !== 'known') throw new NotFoundException();
    return { id };
  }
}

const config = testConfig({
  LOOKUP_FAILURES_PER_MINUTE: String(FAILURES),
  LOOKUP_COOLDOWN_SECONDS: '30',
  TRUST_PROXY: '127.0.0.1',
});
let app: INestApplication;

beforeAll(async () => {
  const module = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(config),
      MetricsRegistryModule,
      AbuseModule.register(RedisStoreModule),
    ],
    controllers: [LookupController],
  }).compile();
  app = module.createNestApplication<NestExpressApplication>();
  await app.init();
});

afterAll(async () => {
  await app?.close();
  await cleanupConfigKeys(config);
});

/** GET /lookup/:id as the client at `address` behind the proxy. */
const lookup = (id: string, address: string) =>
  request(app.getHttpServer()).get(`/lookup/${id}`).set('X-Forwarded-For', address);

describe('LookupLimitInterceptor: failed lookups by id over HTTP', () => {
  it('answers 429 RATE_LIMITED to an address that spent its budget on unknown ids, and only to it', async () => {
    // Arrange: the known id is served.
    await lookup('known', '203.0.113.1').expect(200, { id: 'known' });

    // Act: the budget spent on guesses.
    for (let n = 0; n < FAILURES; n++) await lookup(`guess${n}`, '203.0.113.1').expect(404);

    // Assert: every lookup of that address is refused, the known id too, and says when to retry.
    const refused = await lookup('known', '203.0.113.1').expect(429);
    expect(refused.body).toEqual({
      error: { code: 'RATE_LIMITED', message: expect.stringMatching(/failed lookups/) as unknown },
    });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(25);
    await lookup('guess', '203.0.113.1').expect(429);
    // A client prepending its own header is still the address the proxy appended.
    await lookup('known', '198.51.100.7, 203.0.113.1').expect(429);
    // Another client of the proxy, and a successful lookup costs nothing of a budget.
    await lookup('known', '203.0.113.2').expect(200);
    for (let n = 0; n < FAILURES - 1; n++) await lookup(`other${n}`, '203.0.113.2').expect(404);
    await lookup('known', '203.0.113.2').expect(200);
  });
});
