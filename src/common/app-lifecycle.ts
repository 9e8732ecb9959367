import { Global, Injectable, Module } from '@nestjs/common';

/**
 * Where this instance is in its stop: serving; draining (readiness answers 503 so the load
 * balancer sends no new connections, while every socket is still served); shutting down (new
 * work is refused, clients are told and closed).
 */
@Injectable()
export class AppLifecycle {
  private phase: 'serving' | 'draining' | 'stopping' = 'serving';

  /** Readiness is down: from the start of the drain to the exit. */
  get draining(): boolean {
    return this.phase !== 'serving';
  }

  /** New work is refused: after the drain. */
  get shuttingDown(): boolean {
    return this.phase === 'stopping';
  }

  beginDrain(): void {
    if (this.phase === 'serving') this.phase = 'draining';
  }

  beginShutdown(): void {
    this.phase = 'stopping';
  }
}

@Global()
@Module({ providers: [AppLifecycle], exports: [AppLifecycle] })
export class AppLifecycleModule {}
