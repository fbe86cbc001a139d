/** How the console words dates and colours, one place for every page. */

const SHANGHAI = 'Asia/Shanghai';

const momentFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * `2023年12月31日 17:30`: an instant in a calendar's zone, with the year, as the api's notices
 * word it (libs/calendar wording). Without a zone, Asia/Shanghai (the demo calendar's).
 */
export function formatMoment(iso: string | null | undefined, timezone = SHANGHAI): string {
  if (!iso) return '—';
  let format = momentFormats.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('zh-CN', {
      timeZone: timezone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    momentFormats.set(timezone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.year}年${parts.month}月${parts.day}日 ${parts.hour}:${parts.minute}`;
}

export const LIGHTS = {
  red: { word: '红', color: '#cf1322' },
  yellow: { word: '黄', color: '#ad6800' },
  green: { word: '绿', color: '#237804' },
} as const;

/** Tag colours dark enough on their pale ground for a 4.5:1 contrast (Ant Design's gold and green are not). */
export const TAG_STYLES = {
  yellow: { color: '#874d00', background: '#fffbe6', borderColor: '#ffe58f' },
  red: { color: '#a8071a', background: '#fff1f0', borderColor: '#ffa39e' },
  green: { color: '#135200', background: '#f6ffed', borderColor: '#b7eb8f' },
} as const;

export const CARDS = {
  yellow: { word: '黄牌', style: TAG_STYLES.yellow },
  red: { word: '红牌', style: TAG_STYLES.red },
} as const;

export const OWNER_ROLES = { lead: '主办', co: '协办' } as const;

export const RATINGS = [
  { value: 'satisfied', label: '满意' },
  { value: 'basically_satisfied', label: '基本满意' },
  { value: 'unsatisfied', label: '不满意' },
] as const;

/** A file size for people: 48 KB, 1.2 MB. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * `2025年10月1日` for a local date `2025-10-01` as the api's period filters take it, or the moment
 * (`2025年10月31日 17:30`, Asia/Shanghai) for an instant.
 */
export function formatBound(value: string): string {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return date ? `${date[1]}年${Number(date[2])}月${Number(date[3])}日` : formatMoment(value);
}

/** `2025年10月1日至2025年10月31日`, `2025年10月1日起`, `至2025年10月31日`: a period of two bounds, either may be open. */
export function formatPeriod(from: string | undefined, to: string | undefined): string {
  if (from && to) return from === to ? formatBound(from) : `${formatBound(from)}至${formatBound(to)}`;
  if (from) return `${formatBound(from)}起`;
  return to ? `至${formatBound(to)}` : '';
}
