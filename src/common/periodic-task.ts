/**
 * A task run every so often, one run at a time: a tick that finds the last run still going (a
 * slow Redis) is skipped, the next one being due soon anyway. The task handles its own errors.
 * The timer does not keep the process alive by itself.
 */
export class PeriodicTask {
  private interval: NodeJS.Timeout | null = null;
  private current: Promise<void> | null = null;

  constructor(private readonly task: () => Promise<void>) {}

  /** Ticks every `everyMs` from now on (the first tick `everyMs` from now). */
  start(everyMs: number): void {
    this.stopTicking();
    this.interval = setInterval(() => void this.runNow(), everyMs);
    this.interval.unref();
  }

  /** Runs the task now unless a run is going; resolves when that run ends. */
  runNow(): Promise<void> {
    this.current ??= this.task().finally(() => (this.current = null));
    return this.current;
  }

  /** No more ticks; resolves once the run in flight, if any, has ended. */
  async stop(): Promise<void> {
    this.stopTicking();
    await this.current;
  }

  private stopTicking(): void {
    if (this.interval) clearInterval(this.interval);
    this.interval = null;
  }
}
