import { describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { OFD, oleRootNames, PLAIN_TEXT, sniffContentType, zipRootNames } from './content-type.js';
import { gif, jpeg, ole, ofd, ooxml, pdf, png, webp, zip } from './spec-files.js';

const mimeOf = async (bytes: Uint8Array) => (await sniffContentType(bytes)).type?.mime ?? null;

async function xlsx(): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.addWorksheet('进度').addRow(['事项', '完成情况']);
  return Buffer.from(await book.xlsx.writeBuffer());
}

describe('sniffContentType: accepted by their signatures', () => {
  it.each([
    ['PDF', pdf(), 'application/pdf'],
    ['PNG', png(), 'image/png'],
    ['JPEG', jpeg(), 'image/jpeg'],
    ['GIF', gif(), 'image/gif'],
    ['WebP', webp(), 'image/webp'],
    ['DOCX', ooxml('word'), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['PPTX', ooxml('ppt'), 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
  ])('%s', async (_kind, bytes, mime) => {
    expect(await mimeOf(bytes)).toBe(mime);
  });

  it('XLSX as exceljs writes it', async () => {
    expect(await mimeOf(await xlsx())).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  });
});

describe('sniffContentType: OFD, a zip with OFD.xml at its root', () => {
  it('is OFD', async () => {
    expect((await sniffContentType(ofd())).type).toEqual(OFD);
  });

  it('is refused as a plain zip when OFD.xml is only in a folder, or absent', async () => {
    expect(await sniffContentType(ofd('Doc_0/OFD.xml'))).toEqual({ type: null, detected: 'application/zip' });
    expect(await sniffContentType(zip({ 'a.txt': 'x' }))).toEqual({ type: null, detected: 'application/zip' });
  });

  it('reads the root names from the central directory', () => {
    expect(zipRootNames(ofd())).toEqual(['OFD.xml']);
    expect(zipRootNames(Buffer.from('PK\x03\x04 truncated'))).toBeNull();
  });
});

describe('sniffContentType: legacy Office, an OLE compound file by the stream at its root', () => {
  it.each([
    ['DOC', ['WordDocument', '\u0001CompObj'], 'application/msword'],
    ['XLS', ['Workbook'], 'application/vnd.ms-excel'],
    ['XLS of Excel 5', ['Book'], 'application/vnd.ms-excel'],
    ['PPT', ['Current User', 'PowerPoint Document'], 'application/vnd.ms-powerpoint'],
  ])('%s', async (_kind, names, mime) => {
    expect(await mimeOf(ole(names))).toBe(mime);
  });

  it('with 4096-byte sectors (version 4) too', async () => {
    expect(await mimeOf(ole(['WordDocument'], 12))).toBe('application/msword');
  });

  it('refuses other compound files: an installer, an encrypted OOXML, a Word stream only inside a storage', async () => {
    for (const names of [['SummaryInformation', 'Property'], ['EncryptionInfo', 'EncryptedPackage'], [{ storage: 'ObjectPool', streams: ['WordDocument'] }]]) {
      expect(await sniffContentType(ole(names))).toEqual({ type: null, detected: 'application/x-cfb' });
    }
  });

  it('walks the root’s children only', () => {
    expect(oleRootNames(ole(['Workbook', { storage: 'ObjectPool', streams: ['WordDocument'] }]))?.sort()).toEqual(['ObjectPool', 'Workbook']);
    expect(oleRootNames(Buffer.alloc(100))).toBeNull();
  });
});

describe('sniffContentType: plain text is UTF-8 without NUL', () => {
  it('takes Chinese text, with or without a byte-order mark, and markup as text', async () => {
    expect((await sniffContentType(Buffer.from('关于推进政务数据共享的工作情况\n一、进展'))).type).toEqual(PLAIN_TEXT);
    expect(await mimeOf(Buffer.from('\ufeff整改报告'))).toBe(PLAIN_TEXT.mime);
    expect(await mimeOf(Buffer.from('<html><script>alert(1)</script></html>'))).toBe(PLAIN_TEXT.mime);
  });

  it('refuses GBK-encoded text (not UTF-8), text with a NUL, and random bytes', async () => {
    expect(await mimeOf(Buffer.from([0xd5, 0xfb, 0xb8, 0xc4, 0xb1, 0xa8, 0xb8, 0xe6]))).toBeNull();
    expect(await mimeOf(Buffer.from('abc\0def'))).toBeNull();
    expect(await mimeOf(Buffer.from([0x00, 0xff, 0x13, 0x37]))).toBeNull();
  });

  it('refuses a program whatever it is called, naming what it is', async () => {
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]);
    expect(await sniffContentType(exe)).toEqual({ type: null, detected: 'application/x-msdownload' });
  });
});
