/**
 * Calendar arithmetic throughput on one core: deadlines are planned on every transition.
 * Prints one JSON object. Run: npm run build && npm run bench:calendar
 */
import { createRequire } from 'node:module';
import { BusinessCalendar, type ChineseDaysData, fromChineseDays } from '@duban/calendar';

const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as ChineseDaysData;
const started = performance.now();
const cn = new BusinessCalendar({ timezone: 'Asia/Shanghai', days: fromChineseDays(data) });
const buildMs = performance.now() - started;

// A spread of start instants over 2025–2026 (every 37 minutes), so caches and branches vary.
const starts = Array.from({ length: 4096 }, (_, i) => new Date(Date.UTC(2025, 0, 1) + i * 37 * 60_000 * 7));

function opsPerSecond(name: string, op: (t: Date) => unknown, seconds = 1.5): { name: string; opsPerSec: number } {
  let sink = 0;
  for (let i = 0; i < 20_000; i++) sink += Number(op(starts[i & 4095]!) !== null);
  let ops = 0;
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  while (performance.now() < until) {
    for (let i = 0; i < 10_000; i++) sink += Number(op(starts[(ops + i) & 4095]!) !== null);
    ops += 10_000;
  }
  const elapsed = (performance.now() - t0) / 1000;
  if (sink < 0) console.error(sink);
  return { name, opsPerSec: Math.round(ops / elapsed) };
}

const yearLater = (t: Date) => new Date(t.getTime() + 365 * 86_400_000);
const results = [
  opsPerSecond('add(5wd)', (t) => cn.add(t, '5wd')),
  opsPerSecond('add(2wh)', (t) => cn.add(t, '2wh')),
  opsPerSecond('workingTimeBetween(1 year)', (t) => cn.workingTimeBetween(t, yearLater(t))),
];
console.log(
  JSON.stringify({ bench: 'calendar', node: process.version, calendarBuildMs: Number(buildMs.toFixed(1)), goalOpsPerSec: 500_000, results }, null, 2),
);
