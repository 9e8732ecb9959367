import { PeriodicTask } from './periodic-task';

/** A task whose runs end only when the test says so. */
function controlledTask() {
  const ends: Array<() => void> = [];
  let started = 0;
  const task = new PeriodicTask(() => {
    started++;
    return new Promise<void>((resolve) => ends.push(resolve));
  });
  return {
    task,
    started: () => started,
    endRun: () => ends.shift()?.(),
  };
}

describe('PeriodicTask', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('runs on every tick, and skips the ticks that find a run still going', async () => {
    const { task, started, endRun } = controlledTask();
    task.start(100);
    expect(started()).toBe(0);

    await jest.advanceTimersByTimeAsync(100);
    expect(started()).toBe(1);
    await jest.advanceTimersByTimeAsync(300);
    expect(started()).toBe(1);

    endRun();
    await jest.advanceTimersByTimeAsync(100);
    expect(started()).toBe(2);
    endRun();
    await task.stop();
  });

  it('runNow shares a run in flight and starts one when there is none', async () => {
    const { task, started, endRun } = controlledTask();
    const first = task.runNow();
    const second = task.runNow();
    expect(started()).toBe(1);

    let done = false;
    void second.then(() => (done = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(done).toBe(false);
    endRun();
    await first;
    await second;
    expect(done).toBe(true);

    void task.runNow();
    expect(started()).toBe(2);
    endRun();
    await task.stop();
  });

  it('stop ends the ticks and waits for the run in flight', async () => {
    const { task, started, endRun } = controlledTask();
    task.start(100);
    await jest.advanceTimersByTimeAsync(100);

    let stopped = false;
    const stopping = task.stop().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    endRun();
    await stopping;
    expect(stopped).toBe(true);

    await jest.advanceTimersByTimeAsync(1_000);
    expect(started()).toBe(1);
  });

  it('does not keep the process alive by its timer', () => {
    const { task } = controlledTask();
    const spy = jest.spyOn(global, 'setInterval');
    task.start(100);
    const timer = spy.mock.results[0]?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    spy.mockRestore();
    void task.stop();
  });
});
