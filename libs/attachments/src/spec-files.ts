/** Small real files of each kind, made here, for the specs and e2e tests; not part of the library's API. */
import { crc32 } from 'node:zlib';

/** A one-page PDF that readers open (the cross-reference offsets are computed). */
export function pdf(text = 'Duban'): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R >>',
    `<< /Length ${`BT /F1 12 Tf 20 50 Td (${text}) Tj ET`.length} >>\nstream\nBT /F1 12 Tf 20 50 Td (${text}) Tj ET\nendstream`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** A 1×1 PNG. */
export const png = () => Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

/** The first bytes of a JPEG (SOI, JFIF APP0): what content sniffing reads. */
export const jpeg = () => Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);

/** A 1×1 GIF. */
export const gif = () => Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/** The RIFF/WEBP header of a lossy WebP. */
export const webp = () => Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x1a, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(18)]);

/** A zip of stored (uncompressed) entries, names in UTF-8 (APPNOTE 4.3). */
export function zip(entries: Record<string, string | Buffer>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(entries)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
const OOXML_MAIN = {
  word: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml', 'word/document.xml'],
  ppt: ['application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml', 'ppt/presentation.xml'],
} as const;

/** A minimal OOXML package of Word (docx) or PowerPoint (pptx): content types, relationships, main part. */
export function ooxml(kind: keyof typeof OOXML_MAIN, text = '整改情况报告'): Buffer {
  const [contentType, part] = OOXML_MAIN[kind];
  return zip({
    '[Content_Types].xml':
      `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      `<Default Extension="xml" ContentType="application/xml"/><Override PartName="/${part}" ContentType="${contentType}"/></Types>`,
    '_rels/.rels':
      `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
      `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="${part}"/></Relationships>`,
    [part]:
      kind === 'word'
        ? `${XML}<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:body></w:document>`
        : `${XML}<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>`,
  });
}

/** A minimal OFD package (GB/T 33190): OFD.xml at the root pointing to its document. */
export function ofd(at = 'OFD.xml'): Buffer {
  return zip({
    [at]: `${XML}<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`,
    'Doc_0/Document.xml': `${XML}<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"/>`,
  });
}

const END_OF_CHAIN = 0xfffffffe;
const FREE = 0xffffffff;

/**
 * An OLE compound file ([MS-CFB]) whose root holds `names` (each an empty stream, or a storage
 * holding the streams listed for it), with 512-byte sectors (version 3) or 4096 (version 4).
 * Sector 0 is the FAT, sector 1 the directory (up to sectorSize/128 entries).
 */
export function ole(names: (string | { storage: string; streams: string[] })[], shift: 9 | 12 = 9): Buffer {
  const size = 1 << shift;
  const entries: { name: string; type: number; left: number; right: number; child: number }[] = [
    { name: 'Root Entry', type: 5, left: FREE, right: FREE, child: FREE },
  ];
  const add = (name: string, type: number) => entries.push({ name, type, left: FREE, right: FREE, child: FREE }) - 1;
  let previousAtRoot = -1;
  for (const n of names) {
    const id = typeof n === 'string' ? add(n, 2) : add(n.storage, 1);
    if (typeof n !== 'string') {
      let previous = -1;
      for (const s of n.streams) {
        const child = add(s, 2);
        if (previous < 0) entries[id]!.child = child;
        else entries[previous]!.right = child;
        previous = child;
      }
    }
    if (previousAtRoot < 0) entries[0]!.child = id;
    else entries[previousAtRoot]!.right = id;
    previousAtRoot = id;
  }
  const file = Buffer.alloc(size * 3);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(file, 0);
  file.writeUInt16LE(0x3e, 0x18);
  file.writeUInt16LE(shift === 9 ? 3 : 4, 0x1a);
  file.writeUInt16LE(0xfffe, 0x1c);
  file.writeUInt16LE(shift, 0x1e);
  file.writeUInt16LE(6, 0x20);
  file.writeUInt32LE(1, 0x2c);
  file.writeUInt32LE(1, 0x30);
  file.writeUInt32LE(4096, 0x38);
  file.writeUInt32LE(END_OF_CHAIN, 0x3c);
  file.writeUInt32LE(END_OF_CHAIN, 0x44);
  for (let i = 0; i < 109; i++) file.writeUInt32LE(i === 0 ? 0 : FREE, 0x4c + i * 4);
  const fat = size;
  for (let i = 0; i < size / 4; i++) file.writeUInt32LE(i === 0 ? 0xfffffffd : i === 1 ? END_OF_CHAIN : FREE, fat + i * 4);
  entries.forEach((e, i) => {
    const at = 2 * size + i * 128;
    const name = Buffer.from(`${e.name}\0`, 'utf16le');
    name.copy(file, at);
    file.writeUInt16LE(name.length, at + 0x40);
    file[at + 0x42] = e.type;
    file.writeUInt32LE(e.left, at + 0x44);
    file.writeUInt32LE(e.right, at + 0x48);
    file.writeUInt32LE(e.child, at + 0x4c);
  });
  return file;
}
