import {
  DynamicModule,
  Inject,
  MiddlewareConsumer,
  Module,
  NestModule,
  RequestMethod,
} from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { AppConfig } from '../config/app-config';
import { logDestination, loggerParams } from './logger-params';
import { requestLogger, type RequestLogger } from './request-logger';

const REQUEST_LOGGER = Symbol('REQUEST_LOGGER');

/**
 * Every log line goes through pino (nestjs-pino): JSON lines with LOG_FORMAT=json, a readable
 * line otherwise; one line per HTTP request (pino-http, `requestLogger`). Classes keep logging
 * through Nest's `Logger`; `bootstrap` makes nestjs-pino's Logger the app's logger.
 */
@Module({})
export class LoggingModule implements NestModule {
  /** `destination`: where lines go (default: stdout, per LOG_FORMAT). */
  static forRoot(
    config: AppConfig,
    destination: DestinationStream = logDestination(config),
  ): DynamicModule {
    return {
      module: LoggingModule,
      imports: [LoggerModule.forRoot(loggerParams(config, destination))],
      providers: [{ provide: REQUEST_LOGGER, useValue: requestLogger(config, destination) }],
    };
  }

  constructor(@Inject(REQUEST_LOGGER) private readonly requests: RequestLogger) {}

  configure(consumer: MiddlewareConsumer): void {
    // Every route, as nestjs-pino's own middleware was mounted.
    consumer.apply(this.requests).forRoutes({ path: '{/*splat}', method: RequestMethod.ALL });
  }
}
