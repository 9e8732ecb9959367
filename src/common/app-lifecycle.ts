import { Global, Injectable, Module } from '@nestjs/common';

/** Whether this instance is draining: readiness answers 503 and new work is refused. */
@Injectable()
export class AppLifecycle {
  private draining = false;

  get shuttingDown(): boolean {
    return this.draining;
  }

  beginShutdown(): void {
    this.draining = true;
  }
}

@Global()
@Module({ providers: [AppLifecycle], exports: [AppLifecycle] })
export class AppLifecycleModule {}
