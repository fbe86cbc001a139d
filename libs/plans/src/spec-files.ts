/** Small plan files made in memory, for the specs and e2e tests; not part of the library's API. */
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import ExcelJS from 'exceljs';

/** A 分工表 as bureaus circulate it: a title merged across the sheet, a header, a lead merged over two items. */
export async function planWorkbook(): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('任务分解');
  sheet.addRow(['韶关市政务服务便民热线2024年重点工作任务分解表']);
  sheet.mergeCells('A1:E1');
  sheet.addRow(['序号', '工作任务', '牵头单位', '配合单位', '完成时限']);
  sheet.addRow([
    1,
    { richText: [{ text: '推动热线工单“一号通办”，' }, { text: '全年按时办结率达到99%以上', font: { bold: true } }] },
    '市政数局',
    '市发改局、市卫健局',
    new Date(Date.UTC(2024, 5, 30)),
  ]);
  sheet.addRow([{ formula: 'A3+1', result: 2 }, '完善工单督办机制', null, '市政府督查室', '2024年12月底前']);
  sheet.mergeCells('C3:C4');
  sheet.addRow([3, '每季度通报各单位办理情况', '市政府督查室', '市人社局', '每季度末']);
  // Formatting alone reaches further; those rows and columns hold nothing.
  sheet.getCell('H9').value = null;
  sheet.getCell('H9').fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFFF00' } };
  return Buffer.from(await book.xlsx.writeBuffer());
}

const cell = (text: string | string[], span: { rowSpan?: number; columnSpan?: number } = {}) =>
  new TableCell({ ...span, children: (Array.isArray(text) ? text : [text]).map((t) => new Paragraph(t)) });

/** The same table in Word: a heading above it, a lead merged over two rows, a remark merged across, a cell of two paragraphs. */
export async function planWordTable(): Promise<Buffer> {
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph({ text: '附件', alignment: AlignmentType.LEFT }),
          new Paragraph({ text: '韶关市政务服务便民热线2024年重点工作任务分解表', heading: HeadingLevel.HEADING_1 }),
          new Table({
            rows: [
              new TableRow({ children: ['序号', '工作任务', '牵头单位', '配合单位', '完成时限'].map((t) => cell(t)) }),
              new TableRow({
                children: [
                  cell('1'),
                  cell(['推动热线工单“一号通办”', '全年按时办结率达到99%以上']),
                  cell('市政数局', { rowSpan: 2 }),
                  cell('市发改局、市卫健局'),
                  cell('2024年6月底前'),
                ],
              }),
              new TableRow({ children: [cell('2'), cell('完善工单督办机制'), cell('市政府督查室'), cell('2024年12月底前')] }),
              new TableRow({ children: [cell('注：各单位每月报送进展', { columnSpan: 5 })] }),
            ],
          }),
          new Paragraph({ children: [new TextRun('联系人：张三'), new TextRun({ text: '电话：0751-1234567', break: 1 })] }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/** A prose plan in Word: a heading and numbered paragraphs naming their units, as seed 004 is written. */
export async function planWordProse(title = '韶关市政务服务便民热线2024年工作任务分工方案'): Promise<Buffer> {
  const lines = [
    '一、提升接诉即办能力',
    '1．推动热线工单“一号通办”，全年按时办结率达到99%以上。（市政数局牵头，市发改局、市卫健局配合）',
    '2．完善县区工单督办机制。（市政府督查室牵头）',
  ];
  const doc = new Document({
    sections: [{ children: [new Paragraph({ text: title, heading: HeadingLevel.HEADING_1 }), ...lines.map((l) => new Paragraph(l))] }],
  });
  return Packer.toBuffer(doc);
}

/**
 * A 分工表 of `rows` items in six columns (序号, 工作任务, 牵头单位, 配合单位, 完成时限, 备注)
 * under a title row: `rows` plan items in a sheet of (rows + 2) × 6 cells.
 */
export async function largePlanWorkbook(rows: number): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('分工表');
  sheet.addRow(['2024年重点工作任务分解表']);
  sheet.addRow(['序号', '工作任务', '牵头单位', '配合单位', '完成时限', '备注']);
  for (let i = 1; i <= rows; i++) sheet.addRow([i, `推进第${i}项工作`, '市政数局', '市发改局', '2024年12月底前', '按月报送']);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** A ZIP's parts by name, unzipped. */
export function zipParts(zip: Buffer): Map<string, Buffer> {
  const contents = new Map<string, Buffer>();
  const end = zip.lastIndexOf(Buffer.from('PK\x05\x06', 'latin1'));
  let at = zip.readUInt32LE(end + 16);
  for (let n = zip.readUInt16LE(end + 10); n > 0; n--) {
    const nameLength = zip.readUInt16LE(at + 28);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const local = zip.readUInt32LE(at + 42);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const stored = zip.subarray(start, start + zip.readUInt32LE(at + 20));
    contents.set(name, zip.readUInt16LE(at + 10) === 8 ? inflateRawSync(stored) : stored);
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return contents;
}

/**
 * A ZIP rebuilt from `zip` (deflated, as Office writes), with `parts` replacing or adding parts and
 * `declared` overriding the unzipped sizes its headers state: a crafted file, as an attacker would make it.
 */
export function rezip(zip: Buffer, parts: Record<string, Buffer | string> = {}, declared: Record<string, number> = {}): Buffer {
  const contents = zipParts(zip);
  for (const [name, part] of Object.entries(parts)) contents.set(name, Buffer.from(part));
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of contents) {
    const nameBytes = Buffer.from(name);
    const packed = deflateRawSync(content);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(0x0800, 6);
    header.writeUInt16LE(8, 8);
    header.writeUInt32LE(crc32(content), 14);
    header.writeUInt32LE(packed.length, 18);
    header.writeUInt32LE(Math.min(declared[name] ?? content.length, 0xffffffff), 22);
    header.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    header.copy(central, 6, 4, 30);
    central.writeUInt32LE(offset, 42);
    locals.push(header, nameBytes, packed);
    centrals.push(central, nameBytes);
    offset += header.length + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const record = Buffer.alloc(22);
  record.writeUInt32LE(0x06054b50, 0);
  record.writeUInt16LE(contents.size, 8);
  record.writeUInt16LE(contents.size, 10);
  record.writeUInt32LE(directory.length, 12);
  record.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, record]);
}
