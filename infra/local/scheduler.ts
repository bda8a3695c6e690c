/**
 * Local mode's stand-in for EventBridge Scheduler: one timer per enabled check. Ticks are aligned
 * to multiples of the interval (every 15 minutes at :00, :15, …), so checks with related
 * intervals fall on the same tick and share one Canton snapshot. The clock is injected for tests.
 */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface ScheduledJob {
  key: string;
  intervalMinutes: number;
  /** Called with the tick's scheduled time; its promise is awaited before the next tick is armed. */
  run(scheduledTime: Date): Promise<void>;
}

/** The next multiple of the interval strictly after `now`. */
export function nextTick(now: number, intervalMinutes: number): number {
  const step = intervalMinutes * 60_000;
  return (Math.floor(now / step) + 1) * step;
}

export function startScheduler(jobs: ScheduledJob[], clock: Clock = systemClock): { stop(): void } {
  const handles = new Map<string, unknown>();
  let stopped = false;
  const arm = (job: ScheduledJob) => {
    if (stopped) return;
    const at = nextTick(clock.now(), job.intervalMinutes);
    handles.set(
      job.key,
      clock.setTimeout(() => {
        void job.run(new Date(at)).finally(() => arm(job));
      }, at - clock.now()),
    );
  };
  jobs.forEach(arm);
  return {
    stop() {
      stopped = true;
      for (const h of handles.values()) clock.clearTimeout(h);
      handles.clear();
    },
  };
}
