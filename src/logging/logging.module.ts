import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';
import { loggerParams } from './logger-params';

/**
 * Every log line goes through pino (nestjs-pino): JSON lines with LOG_FORMAT=json, a readable
 * line otherwise; one line per HTTP request (pino-http). Classes keep logging through Nest's
 * `Logger`; `bootstrap` makes nestjs-pino's Logger the app's logger.
 */
@Module({})
export class LoggingModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: LoggingModule,
      imports: [LoggerModule.forRoot(loggerParams(config))],
    };
  }
}
