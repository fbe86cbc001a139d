/**
 * Durations as workflow definitions write them: `30m`, `24h`, `3d` natural time; `2wh` working
 * hours and `5wd` working days on a calendar; `13wde` the end of the 13th working day counted from
 * the next day (a deadline "within 13 working days", 自次日起算); `Ns` seconds for tests.
 */
export type DurationUnit = 's' | 'm' | 'h' | 'd' | 'wh' | 'wd' | 'wde';

export interface Duration {
  readonly amount: number;
  readonly unit: DurationUnit;
}

export class DurationError extends Error {
  constructor(readonly input: unknown) {
    super(`"${String(input)}" is not a duration: write a whole number and a unit, one of s, m, h, d, wh, wd, wde (e.g. 5wd)`);
    this.name = 'DurationError';
  }
}

const PATTERN = /^(\d{1,6})(s|m|h|d|wh|wde|wd)$/;
const cache = new Map<string, Duration>();

export function parseDuration(input: string): Duration {
  const cached = cache.get(input);
  if (cached) return cached;
  const match = typeof input === 'string' ? PATTERN.exec(input.trim()) : null;
  if (!match) throw new DurationError(input);
  const duration = { amount: Number(match[1]), unit: match[2] as DurationUnit };
  if (cache.size < 10_000) cache.set(input, duration);
  return duration;
}

export function isDuration(input: unknown): input is string {
  return typeof input === 'string' && PATTERN.test(input.trim());
}

export const NATURAL_MS: Readonly<Record<'s' | 'm' | 'h', number>> = { s: 1000, m: 60_000, h: 3_600_000 };

/** Whether a duration counts working time (`wh`, `wd`, `wde`) rather than the clock's. */
export function isWorkingDuration(duration: string | Duration): boolean {
  const { unit } = typeof duration === 'string' ? parseDuration(duration) : duration;
  return unit === 'wh' || unit === 'wd' || unit === 'wde';
}

const UNIT_WORDS: Readonly<Record<DurationUnit, string>> = { s: '秒', m: '分钟', h: '小时', d: '天', wh: '个工作小时', wd: '个工作日', wde: '个工作日' };

/** A duration as a Chinese notice writes it: `2wd` → 2个工作日, `30m` → 30分钟. */
export function durationInWords(duration: string | Duration): string {
  const { amount, unit } = typeof duration === 'string' ? parseDuration(duration) : duration;
  return `${amount}${UNIT_WORDS[unit]}`;
}
