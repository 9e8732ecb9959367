import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { destination, stdTimeFunctions, type DestinationStream, type Level } from 'pino';
import type { Options } from 'pino-http';
import type { AppConfig } from '../config/app-config';
import { readableDestination } from './readable-format';

/** LOG_LEVEL (Nest's names) as pino levels. */
const PINO_LEVEL: Record<AppConfig['logLevel'], Level> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/** The pino level of this configuration's LOG_LEVEL. */
export function pinoLevel(config: AppConfig): Level {
  return PINO_LEVEL[config.logLevel];
}

/**
 * A backstop, not the rule: call sites never log a session token or a hand (docs/deployment.md,
 * "Logs"), and if one slips into a logged object it is censored.
 */
export const REDACTED_PATHS = [
  'sessionToken',
  '*.sessionToken',
  'hand',
  '*.hand',
  'players[*].hand',
  '*.players[*].hand',
  'req.headers.cookie',
  'req.headers.authorization',
];

/** Probes polled every few seconds by a load balancer or Prometheus: debug unless they fail. */
const PROBE = /^\/(health|metrics)(\/|\?|$)/;

/** The level of one HTTP request's log line. */
export function requestLevel(url: string | undefined, status: number, failed: boolean): Level {
  const probe = PROBE.test(url ?? '');
  // A 503 from /health is readiness doing its job (draining, Redis down), not a server error.
  if (failed || status >= 500) return probe ? 'warn' : 'error';
  if (status >= 400) return 'warn';
  return probe ? 'debug' : 'info';
}

type HttpOptions = Options<IncomingMessage, ServerResponse>;

/** pino (level, time, redaction) and pino-http (one line per HTTP request) options. */
export function httpLoggerOptions(config: AppConfig): HttpOptions {
  return {
    level: pinoLevel(config),
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    // Logs made while a request runs carry its reqId, not the whole request again.
    quietReqLogger: true,
    customLogLevel: (req, res, error) => requestLevel(req.url, res.statusCode, Boolean(error)),
    customSuccessMessage: (req, res) => `${req.method} ${req.url} ${res.statusCode}`,
    customErrorMessage: (req, res, error) =>
      `${req.method} ${req.url} ${res.statusCode}: ${error.message}`,
    // pino-http's own "failed with status code" error: its stack says nothing (Nest's exception
    // filter has already logged a real error), and the message is in msg.
    customErrorObject: (_req, _res, _error, fields: Record<string, unknown>) => {
      const { err: _err, ...rest } = fields;
      return rest;
    },
    // No headers: cookies and anything a proxy adds stay out of the logs.
    serializers: {
      // The request's id is already on the line as reqId.
      req: (req: { method: string; url: string; remoteAddress?: string }) => ({
        method: req.method,
        url: req.url,
        remoteAddress: req.remoteAddress,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
}

/** Where the lines go: JSON as pino writes it, or the readable format; both synchronous. */
export function logDestination(config: AppConfig): DestinationStream {
  return config.logFormat === 'json' ? destination({ dest: 1, sync: true }) : readableDestination();
}

/**
 * nestjs-pino's parameters for this configuration: the logger behind Nest's `Logger`, writing to
 * `destination`. Its own HTTP middleware is not mounted (`forRoutes: []`): it runs each request
 * inside an AsyncLocalStorage, and on Node 20 the first one turns on promise hooks for every
 * promise of the process, socket moves included (about 8% CPU per move, docs/benchmarks.md).
 * Request lines come from `requestLogger` instead, with the same options and destination.
 */
export function loggerParams(
  config: AppConfig,
  destination: DestinationStream = logDestination(config),
): Params {
  return { pinoHttp: [httpLoggerOptions(config), destination], forRoutes: [] };
}
