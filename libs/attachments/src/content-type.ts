import { isUtf8 } from 'node:buffer';
import { fileTypeFromBuffer } from 'file-type';

/** A file's type as its content shows it: the MIME type it is stored and served with, and the usual extension. */
export interface SniffedType {
  mime: string;
  ext: string;
}

/**
 * What Duban keeps as evidence (issue 16.5): PDF, the common photo formats, Office documents
 * (OOXML as file-type reads them; legacy ones and OFD by the rules below) and UTF-8 plain text.
 */
const BY_SIGNATURE: ReadonlySet<string> = new Set([
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
]);

export const OFD: SniffedType = { mime: 'application/ofd', ext: 'ofd' };
export const PLAIN_TEXT: SniffedType = { mime: 'text/plain; charset=utf-8', ext: 'txt' };

/** Legacy Office files are OLE compound files; the stream at their root says which program wrote them. */
const OLE_KINDS: readonly (readonly [string, SniffedType])[] = [
  ['WordDocument', { mime: 'application/msword', ext: 'doc' }],
  ['Workbook', { mime: 'application/vnd.ms-excel', ext: 'xls' }],
  ['Book', { mime: 'application/vnd.ms-excel', ext: 'xls' }],
  ['PowerPoint Document', { mime: 'application/vnd.ms-powerpoint', ext: 'ppt' }],
];

/**
 * The type of `bytes` if Duban accepts it, else null, decided from the content alone:
 * 1. a signature file-type knows and Duban accepts (PDF, PNG, JPEG, GIF, WebP, DOCX, XLSX, PPTX);
 * 2. a zip whose root holds `OFD.xml` (GB/T 33190) is OFD; any other zip is refused;
 * 3. an OLE compound file whose root holds `WordDocument`, `Workbook`/`Book` or `PowerPoint
 *    Document` is DOC, XLS or PPT; any other (MSI, Outlook, encrypted OOXML) is refused;
 * 4. anything else that is valid UTF-8 without a NUL byte is plain text.
 * @returns also, as `detected`, what file-type named a refused file, for the message.
 */
export async function sniffContentType(bytes: Uint8Array): Promise<{ type: SniffedType | null; detected: string | null }> {
  const found = await fileTypeFromBuffer(bytes);
  if (found && BY_SIGNATURE.has(found.mime)) return { type: { mime: found.mime, ext: found.ext }, detected: found.mime };
  if (found?.ext === 'zip') return { type: zipRootNames(bytes)?.includes('OFD.xml') ? OFD : null, detected: found.mime };
  if (found?.ext === 'cfb') {
    const names = oleRootNames(bytes) ?? [];
    return { type: OLE_KINDS.find(([stream]) => names.includes(stream))?.[1] ?? null, detected: found.mime };
  }
  if (isUtf8(bytes) && !bytes.includes(0)) return { type: PLAIN_TEXT, detected: found?.mime ?? null };
  return { type: null, detected: found?.mime ?? null };
}

const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * The names in a zip's central directory (APPNOTE 4.3.12, 4.3.16), or null when it has none
 * that can be read. A root entry has no `/` in its name.
 */
export function zipRootNames(bytes: Uint8Array): string[] | null {
  const v = view(bytes);
  // The end-of-central-directory record is 22 bytes plus a comment of up to 65535.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (v.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = v.getUint16(eocd + 10, true);
  let at = v.getUint32(eocd + 16, true);
  const names: string[] = [];
  const decoder = new TextDecoder();
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || v.getUint32(at, true) !== 0x02014b50) return null;
    const nameLength = v.getUint16(at + 28, true);
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    if (!name.includes('/')) names.push(name);
    at += 46 + nameLength + v.getUint16(at + 30, true) + v.getUint16(at + 32, true);
  }
  return names;
}

const FREE_OR_END = 0xfffffffa;
const NO_STREAM = 0xffffffff;

/**
 * The names of the entries at the root of an OLE compound file ([MS-CFB] 2.2, 2.6), or null when
 * its directory cannot be read. The directory's sectors are found through the FAT, whose own
 * sectors the header's DIFAT (and the DIFAT chain after it) lists; the root storage's children
 * are a red-black tree of left/right siblings under its child.
 */
export function oleRootNames(bytes: Uint8Array): string[] | null {
  if (bytes.length < 512) return null;
  const v = view(bytes);
  const shift = v.getUint16(0x1e, true);
  if (shift !== 9 && shift !== 12) return null;
  const size = 1 << shift;
  const perSector = size / 4;
  const sectorAt = (n: number) => (n + 1) * size;
  const fat = fatSectors(v, bytes.length, size);
  const nextOf = (n: number): number => {
    const fatSector = fat[Math.floor(n / perSector)];
    const at = fatSector === undefined ? -1 : sectorAt(fatSector) + (n % perSector) * 4;
    return at < 0 || at + 4 > bytes.length ? NO_STREAM : v.getUint32(at, true);
  };
  const entries: { name: string; left: number; right: number; child: number }[] = [];
  const limit = Math.ceil(bytes.length / size);
  for (let sector = v.getUint32(0x30, true), seen = 0; sector < FREE_OR_END && seen < limit; sector = nextOf(sector), seen++) {
    for (let at = sectorAt(sector); at + 128 <= Math.min(sectorAt(sector) + size, bytes.length); at += 128) {
      const nameBytes = Math.min(Math.max(v.getUint16(at + 0x40, true) - 2, 0), 62);
      const name = Buffer.from(bytes.subarray(at, at + nameBytes)).toString('utf16le');
      entries.push({ name, left: v.getUint32(at + 0x44, true), right: v.getUint32(at + 0x48, true), child: v.getUint32(at + 0x4c, true) });
    }
  }
  if (entries.length === 0) return null;
  const names: string[] = [];
  const visited = new Set<number>();
  const pending = [entries[0]!.child];
  while (pending.length > 0) {
    const id = pending.pop()!;
    const entry = entries[id];
    if (!entry || visited.has(id)) continue;
    visited.add(id);
    names.push(entry.name);
    pending.push(entry.left, entry.right);
  }
  return names;
}

/** The FAT's sectors: the 109 the header lists, then those of the DIFAT chain. */
function fatSectors(v: DataView, length: number, size: number): number[] {
  const sectors: number[] = [];
  for (let i = 0; i < 109; i++) {
    const s = v.getUint32(0x4c + i * 4, true);
    if (s < FREE_OR_END) sectors.push(s);
  }
  const perSector = size / 4;
  for (let difat = v.getUint32(0x44, true), seen = 0; difat < FREE_OR_END && seen < length / size; seen++) {
    const at = (difat + 1) * size;
    if (at + size > length) break;
    for (let i = 0; i < perSector - 1; i++) {
      const s = v.getUint32(at + i * 4, true);
      if (s < FREE_OR_END) sectors.push(s);
    }
    difat = v.getUint32(at + size - 4, true);
  }
  return sectors;
}
