import { INestApplication, Logger, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { AppLifecycle } from './common/app-lifecycle';
import { AppConfig, loadConfig } from './config/app-config';
import { RedisIoAdapter } from './gateway/redis-io.adapter';
import { serveWebClient } from './web/web-client';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Builds the Nest application (HTTP + Socket.IO + the web client at /), without listening. */
export async function createApp(config: AppConfig): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    abortOnError: false,
    logger: LEVELS.slice(0, LEVELS.indexOf(config.logLevel) + 1),
  });
  app.useWebSocketAdapter(new RedisIoAdapter(app, config));
  serveWebClient(app);
  return app;
}

/**
 * Graceful stop: readiness goes 503, then Nest closes the gateway (clients told, sockets closed),
 * in-flight store operations drain, and Redis connections QUIT.
 */
export async function shutdown(app: INestApplication, signal: string): Promise<void> {
  const logger = new Logger('Shutdown');
  logger.log(`${signal} received: draining`);
  app.get(AppLifecycle).beginShutdown();
  await app.close();
  logger.log('stopped');
}

/** Starts the service: validate config, connect Redis (fail fast), listen, handle signals. */
export async function bootstrap(env: NodeJS.ProcessEnv): Promise<INestApplication> {
  const config = loadConfig(env);
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  new Logger('Bootstrap').log(`listening on http://${config.host}:${config.port}`);
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      shutdown(app, signal).then(
        () => process.exit(0),
        (error: unknown) => {
          new Logger('Shutdown').error(`unclean shutdown: ${String(error)}`);
          process.exit(1);
        },
      );
    });
  }
  return app;
}
