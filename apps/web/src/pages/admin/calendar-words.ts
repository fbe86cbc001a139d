/** A calendar's working hours and loaded years as the admin pages word them. */

/** `09:00–12:00、13:30–17:30`. */
export function workingHoursWords(periods: readonly { start: string; end: string }[]): string {
  return periods.map((p) => `${p.start}–${p.end}`).join('、');
}

/** Ascending years as runs: `2004–2026年`, `2025、2027年`; `无` when none. */
export function yearsWords(years: readonly number[]): string {
  if (years.length === 0) return '无';
  const runs: [number, number][] = [];
  for (const y of years) {
    const last = runs.at(-1);
    if (last && last[1] === y - 1) last[1] = y;
    else runs.push([y, y]);
  }
  return `${runs.map(([a, b]) => (a === b ? `${a}` : `${a}–${b}`)).join('、')}年`;
}
