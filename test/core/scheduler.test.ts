import { expect, test } from '@jest/globals';
import { nextTick, startScheduler, type Clock } from '../../infra/local/scheduler.js';

/** A clock whose time moves only when the test says so. */
function manualClock(start: number) {
  let now = start;
  const timers: Array<{ at: number; fn: () => void; id: number }> = [];
  let ids = 0;
  const clock: Clock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = ++ids;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (id) => {
      const i = timers.findIndex((t) => t.id === id);
      if (i >= 0) timers.splice(i, 1);
    },
  };
  /** Moves time forward, firing due timers in order and letting their jobs finish. */
  const advanceTo = async (to: number) => {
    for (;;) {
      timers.sort((a, b) => a.at - b.at);
      const next = timers[0];
      if (!next || next.at > to) break;
      timers.shift();
      now = next.at;
      next.fn();
      for (let i = 0; i < 5; i++) await Promise.resolve();
    }
    now = to;
  };
  return { clock, advanceTo, pending: () => timers.length };
}

const T0 = Date.parse('2026-12-03T12:07:00Z');

test('ticks align to multiples of the interval', () => {
  expect(new Date(nextTick(T0, 15)).toISOString()).toBe('2026-12-03T12:15:00.000Z');
  expect(new Date(nextTick(T0, 60)).toISOString()).toBe('2026-12-03T13:00:00.000Z');
  expect(new Date(nextTick(Date.parse('2026-12-03T12:15:00Z'), 15)).toISOString()).toBe('2026-12-03T12:30:00.000Z');
});

test('each job runs on its interval with its scheduled time, and stop() ends it', async () => {
  const { clock, advanceTo, pending } = manualClock(T0);
  const runs: string[] = [];
  const scheduler = startScheduler(
    [
      { key: 'alert1', intervalMinutes: 15, run: async (at) => void runs.push(`alert1@${at.toISOString().slice(11, 16)}`) },
      { key: 'alert2', intervalMinutes: 60, run: async (at) => void runs.push(`alert2@${at.toISOString().slice(11, 16)}`) },
    ],
    clock,
  );
  await advanceTo(Date.parse('2026-12-03T13:20:00Z'));
  // Jobs due at the same moment may run in either order.
  expect([...runs].sort()).toEqual(['alert1@12:15', 'alert1@12:30', 'alert1@12:45', 'alert1@13:00', 'alert1@13:15', 'alert2@13:00']);
  expect(runs.map((r) => r.slice(-5))).toEqual(['12:15', '12:30', '12:45', '13:00', '13:00', '13:15']);
  scheduler.stop();
  expect(pending()).toBe(0);
});
