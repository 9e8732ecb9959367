import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DestinationStream } from 'pino';
import { pinoHttp } from 'pino-http';
import type { AppConfig } from '../config/app-config';
import { httpLoggerOptions } from './logger-params';

/** Express middleware: one line per HTTP request. */
export type RequestLogger = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/**
 * One line per HTTP request (pino-http), at the level `requestLevel` gives it, written to the
 * same destination as every other line. No async context is entered: lines that Nest's `Logger`
 * writes while a request runs do not carry its `reqId` (see loggerParams).
 */
export function requestLogger(config: AppConfig, destination: DestinationStream): RequestLogger {
  return pinoHttp(httpLoggerOptions(config), destination);
}
