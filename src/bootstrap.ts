import { INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger as PinoNestLogger, PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AppLifecycle } from './common/app-lifecycle';
import { AppConfig, loadConfig } from './config/app-config';
import { RedisIoAdapter } from './gateway/redis-io.adapter';
import { pinoLevel } from './logging/logger-params';
import { serveOpenApi } from './openapi/openapi';
import { AdapterClients } from './redis/adapter-clients';
import { RoomsService } from './rooms/rooms.service';
import { securityHeaders } from './web/security-headers';
import { serveWebClient } from './web/web-client';

/** Builds the Nest application (HTTP + Socket.IO + the web client at /), without listening. */
export async function createApp(config: AppConfig): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    abortOnError: false,
    // Held until pino is the logger (right below), so every line has the configured format.
    bufferLogs: true,
    // At close, after the gateway has told and closed every client: a keep-alive connection (a
    // load balancer's) that was busy when the server stopped listening would otherwise hold the
    // exit for the keep-alive timeout.
    forceCloseConnections: true,
  });
  app.useLogger(app.get(PinoNestLogger));
  // nestjs-pino keeps one pino logger per process, made for the first app: another app made in
  // the same process (the tests make many) would otherwise log at the first one's level.
  (await app.resolve(PinoLogger)).logger.level = pinoLevel(config);
  // Out now, not at listen: while boot waits for Redis (or fails), the lines so far are seen.
  app.flushLogs();
  // The adapter lives outside the module tree; its Redis connections come from the redis module.
  app.useWebSocketAdapter(new RedisIoAdapter(app, config, app.get(AdapterClients)));
  // req.ip by the same rules as the sockets' address (src/abuse/client-address.ts).
  const { trustProxy } = config.addressLimits;
  app.set('trust proxy', trustProxy.length > 0 ? trustProxy : false);
  app.use(securityHeaders());
  serveOpenApi(app);
  serveWebClient(app);
  return app;
}

/**
 * Graceful stop: readiness goes 503 for `drainMs` while every socket is still served (the load
 * balancer stops sending new connections), then Nest closes the gateway (clients told, sockets
 * closed), in-flight store operations drain, and Redis connections (the store's, the
 * adapter's) QUIT.
 */
export async function shutdown(app: INestApplication, signal: string, drainMs = 0): Promise<void> {
  const logger = new Logger('Shutdown');
  const lifecycle = app.get(AppLifecycle);
  lifecycle.beginDrain();
  logger.log({ signal, drainMs }, `${signal} received: draining`);
  if (drainMs > 0) await sleep(drainMs);
  lifecycle.beginShutdown();
  await app.close();
  logger.log('stopped');
}

/** Starts the service: validate config, connect Redis (fail fast), listen, handle signals. */
export async function bootstrap(env: NodeJS.ProcessEnv): Promise<INestApplication> {
  const config = loadConfig(env);
  const app = await createApp(config);
  const listening = app.listen(config.port, config.host);
  // Handled from before the port opens: a signal as soon as it is open (a deploy that stops an
  // instance right after its `listening` line) is a graceful stop, never the default exit.
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      listening
        .then(() => shutdown(app, signal, config.shutdownDrainMs))
        .then(
          () => process.exit(0),
          (error: unknown) => {
            new Logger('Shutdown').error({ err: error }, 'unclean shutdown');
            process.exit(1);
          },
        );
    });
  }
  await listening;
  // The id other instances name in their logs if this one goes silent (new at every start).
  const { instanceId } = app.get(RoomsService);
  new Logger('Bootstrap').log({ instanceId }, `listening on http://${config.host}:${config.port}`);
  return app;
}
