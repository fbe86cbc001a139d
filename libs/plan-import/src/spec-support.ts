/** Helpers the specs share; not part of the library's API. */

const DIGITS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** How a plan writes 1…999 in Chinese numerals: 十一, not 一十一; 一百零五. */
export function chinese(n: number): string {
  const hundreds = Math.floor(n / 100);
  const tens = Math.floor((n % 100) / 10);
  const ones = n % 10;
  let s = hundreds > 0 ? `${DIGITS[hundreds]}百` : '';
  if (tens > 0) s += `${hundreds === 0 && tens === 1 ? '' : DIGITS[tens]}十`;
  else if (hundreds > 0 && ones > 0) s += '零';
  return s + DIGITS[ones];
}

/** Copies of plans write ASCII `( ) , : ;` where the originals have full-width forms, and the other way round. */
export const toFullWidth = (s: string) => s.replace(/\(/g, '（').replace(/\)/g, '）').replace(/,/g, '，').replace(/:/g, '：').replace(/;/g, '；');
export const toAscii = (s: string) => s.replace(/（/g, '(').replace(/）/g, ')').replace(/，/g, ',').replace(/：/g, ':').replace(/；/g, ';');
