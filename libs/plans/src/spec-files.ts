/** Small plan files made in memory, for the specs and e2e tests; not part of the library's API. */
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
