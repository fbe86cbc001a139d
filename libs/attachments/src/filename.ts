/** Longest name kept, in characters (file systems allow 255 bytes; a Chinese name is shorter in characters). */
const MAX_NAME = 200;

/**
 * The name an upload is kept under: the last part of what the client sent (browsers on Windows
 * may send a whole path), Unicode NFC, without control characters, at most 200 characters
 * (the extension kept); `附件` when nothing is left.
 */
export function cleanFilename(raw: string): string {
  const base = (raw.split(/[\\/]/).pop() ?? '')
    .normalize('NFC')
    .replace(/\p{Cc}/gu, '')
    .trim();
  if (base.length <= MAX_NAME) return base === '' || base === '.' || base === '..' ? '附件' : base;
  const dot = base.lastIndexOf('.');
  const ext = dot > 0 && base.length - dot <= 16 ? base.slice(dot) : '';
  return base.slice(0, MAX_NAME - ext.length) + ext;
}

/**
 * `Content-Disposition: attachment` naming the file: an ASCII `filename` for old clients (other
 * characters as `_`) and the exact name as `filename*` in UTF-8 (RFC 6266 4.3, RFC 8187), which
 * every current browser prefers, so `整改报告.pdf` downloads as itself.
 */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
