import { describe, expect, it } from '@jest/globals';
import { Document, Packer, Paragraph, Table, TableCell, TableRow } from 'docx';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { type PlanDocument, parseDocument } from '@duban/plan-import';
import { ole, pdf, zip } from '../../attachments/src/spec-files.js';
import { PlanYearMissingError } from '@duban/plan-import';
import { MAX_PLAN_FILE_BYTES, PLAN_FILE_LIMITS, PlanFileTooComplexError, PlanFileTypeError } from './errors.js';
import { decodeText, expandedBytes, readPlanFile } from './plan-files.js';
import { documentText } from './plan-text.js';
import { planWordTable, planWorkbook, rezip, zipParts } from './spec-files.js';
import { rebuiltError, threadError } from './thread-errors.js';

const tables = (doc: PlanDocument) => doc.blocks.flatMap((b) => (b.kind === 'table' ? [b.rows] : []));
const paragraphs = (doc: PlanDocument) => doc.blocks.flatMap((b) => (b.kind === 'paragraph' ? [b.text] : []));

/** The problem a rejected read answers with: status and code, as the client sees them. */
async function refusal(data: Buffer, filename: string): Promise<{ status: number; slug: string; message: string }> {
  try {
    await readPlanFile(data, filename);
  } catch (err) {
    const e = err as { status: number; slug: string; message: string };
    return { status: e.status, slug: e.slug, message: e.message };
  }
  throw new Error('read');
}

describe('readPlanFile: Excel', () => {
  it('reads the title merged across the sheet as one paragraph and the rest as one table, merged cells spread, empty rows and columns dropped', async () => {
    const doc = await readPlanFile(await planWorkbook(), '分解表.xlsx');
    expect(doc.blocks[0]).toEqual({ kind: 'paragraph', text: '韶关市政务服务便民热线2024年重点工作任务分解表' });
    expect(tables(doc)).toEqual([
      [
        ['序号', '工作任务', '牵头单位', '配合单位', '完成时限'],
        ['1', '推动热线工单“一号通办”，全年按时办结率达到99%以上', '市政数局', '市发改局、市卫健局', '2024年6月30日'],
        ['2', '完善工单督办机制', '市政数局', '市政府督查室', '2024年12月底前'],
        ['3', '每季度通报各单位办理情况', '市政府督查室', '市人社局', '每季度末'],
      ],
    ]);
    expect(doc.blocks).toHaveLength(2);
  });

  it('keeps a cell’s line breaks as \\n and reads each worksheet in order', async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet('一').addRows([
      ['任务', '责任\r\n单位'],
      ['甲', '市A局'],
    ]);
    book.addWorksheet('二').addRows([['说明：第二张表'], ['任务', '单位'], ['乙', '市B局']]);
    const doc = await readPlanFile(Buffer.from(await book.xlsx.writeBuffer()), 'a.xlsx');
    expect(tables(doc)).toEqual([
      [
        ['任务', '责任\n单位'],
        ['甲', '市A局'],
      ],
      [
        ['任务', '单位'],
        ['乙', '市B局'],
      ],
    ]);
    expect(paragraphs(doc)).toEqual(['说明：第二张表']);
  });

  it('is an xlsx by its content whatever its name says', async () => {
    expect(tables(await readPlanFile(await planWorkbook(), '分解表.txt'))).toHaveLength(1);
  });
});

describe('readPlanFile: Word', () => {
  it('reads paragraphs and the table in order, rowspan and colspan spread into every covered cell, a cell’s paragraphs on lines of their own', async () => {
    const doc = await readPlanFile(await planWordTable(), '分解表.docx');
    expect(doc.blocks).toEqual([
      { kind: 'paragraph', text: '附件' },
      { kind: 'paragraph', text: '韶关市政务服务便民热线2024年重点工作任务分解表' },
      {
        kind: 'table',
        rows: [
          ['序号', '工作任务', '牵头单位', '配合单位', '完成时限'],
          ['1', '推动热线工单“一号通办”\n全年按时办结率达到99%以上', '市政数局', '市发改局、市卫健局', '2024年6月底前'],
          ['2', '完善工单督办机制', '市政数局', '市政府督查室', '2024年12月底前'],
          Array(5).fill('注：各单位每月报送进展'),
        ],
      },
      { kind: 'paragraph', text: '联系人：张三\n电话：0751-1234567' },
    ]);
  });

  it('takes the title below the attachment label 附件 that opens the file', async () => {
    expect(parseDocument(await readPlanFile(await planWordTable(), '分解表.docx'), {}).title).toBe('韶关市政务服务便民热线2024年重点工作任务分解表');
  });

  it('renders as text with tabs between cells and a row to a line, for the plan’s source', async () => {
    const text = documentText(await readPlanFile(await planWordTable(), '分解表.docx'));
    expect(text.split('\n').slice(1, 4)).toEqual([
      '韶关市政务服务便民热线2024年重点工作任务分解表',
      '序号\t工作任务\t牵头单位\t配合单位\t完成时限',
      '1\t推动热线工单“一号通办” 全年按时办结率达到99%以上\t市政数局\t市发改局、市卫健局\t2024年6月底前',
    ]);
  });
});

describe('readPlanFile: text', () => {
  const text = '韶关市2024年工作要点\n1．推进改革。（市A局牵头）';

  it.each([
    ['UTF-8', Buffer.from(text, 'utf8')],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])],
    ['UTF-16LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
    ['UTF-16BE with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()])],
    // GBK bytes of the same text, as Chinese Windows' Notepad saves "ANSI".
    ['GB18030/GBK', Buffer.from('c9d8b9d8cad032303234c4eab9a4d7f7d2aab5e30a31a3aecdc6bdf8b8c4b8efa1a3a3a8cad041bed6c7a3cdb7a3a9', 'hex')],
  ])('decodes %s', (_, bytes) => {
    expect(decodeText(bytes).replace(/^\uFEFF/, '')).toBe(text);
  });

  it('reads a .txt into a document whose text is the file’s', async () => {
    expect(documentText(await readPlanFile(Buffer.from(text), '要点.txt'))).toBe(text);
  });
});

describe('readPlanFile: bad input, each a typed refusal naming the file', () => {
  it('an empty file is 400 plan-file-empty', async () => {
    expect(await refusal(Buffer.alloc(0), '空.docx')).toMatchObject({
      status: 400,
      slug: 'plan-file-empty',
      message: expect.stringContaining('「空.docx」是空的'),
    });
  });

  it('a file over the limit is 413 plan-file-too-large', async () => {
    expect(await refusal(Buffer.alloc(MAX_PLAN_FILE_BYTES + 1, 0x20), '大.txt')).toMatchObject({ status: 413, slug: 'plan-file-too-large' });
  });

  it('a password-protected .docx (an OLE2 file holding EncryptionInfo and EncryptedPackage) is 400 plan-file-encrypted', async () => {
    const encrypted = ole(['EncryptionInfo', 'EncryptedPackage']);
    expect(await refusal(encrypted, '分解表.docx')).toMatchObject({
      status: 400,
      slug: 'plan-file-encrypted',
      message: expect.stringContaining('文件「分解表.docx」已加密，请去除密码后再导入'),
    });
  });

  it.each([
    ['an old Word .doc', ole(['WordDocument', '1Table']), '方案.doc', '旧版 Word（.doc）'],
    ['an old Excel .xls', ole(['Workbook']), '分解表.xls', '旧版 Excel（.xls）'],
    ['a PDF, whatever its name', pdf(), '方案.docx', 'PDF'],
    ['a PNG', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), '表.xlsx', '类型无法识别'],
    ['a .pptx', zip({ '[Content_Types].xml': '<Types/>', 'ppt/presentation.xml': '<p/>' }), '汇报.pptx', '类型无法识别'],
  ])('%s is 415 plan-file-type, saying to save it as .docx/.xlsx', async (_, bytes, name, seen) => {
    const problem = await refusal(bytes, name);
    expect(problem).toMatchObject({ status: 415, slug: 'plan-file-type' });
    expect(problem.message).toContain(`文件「${name}」`);
    expect(problem.message).toContain(seen);
    expect(problem.message).toMatch(/\.docx/);
  });

  it.each([
    ['a ZIP that holds no document', zip({ 'readme.txt': 'hello' })],
    ['a truncated .docx', 'truncated'],
    ['a .docx whose document part is not XML', zip({ '[Content_Types].xml': '<Types/>', 'word/document.xml': 'not xml at all <<<' })],
    ['an .xlsx whose workbook is garbage', zip({ '[Content_Types].xml': '<Types/>', 'xl/workbook.xml': '\u0000\u0001garbage' })],
  ])('%s is 400 plan-file-unreadable', async (_, bytes) => {
    const data = bytes === 'truncated' ? (await planWordTable()).subarray(0, 2000) : (bytes as Buffer);
    expect(await refusal(data, '坏.docx')).toMatchObject({
      status: 400,
      slug: 'plan-file-unreadable',
      message: expect.stringContaining('文件「坏.docx」无法读取'),
    });
  });
});

describe('readPlanFile: any table reads back as it was written', () => {
  /** Rows of 2–4 distinct non-blank cells (a row of one text is a title, not a table row). */
  const grids = fc.integer({ min: 2, max: 4 }).chain((width) =>
    fc.array(fc.uniqueArray(fc.stringMatching(/^[一-龥A-Za-z0-9（）、，。%]{1,10}$/), { minLength: width, maxLength: width }), {
      minLength: 1,
      maxLength: 6,
    }),
  );

  it('from an .xlsx worksheet', async () => {
    await fc.assert(
      fc.asyncProperty(grids, async (rows) => {
        const book = new ExcelJS.Workbook();
        book.addWorksheet('表').addRows(rows);
        const doc = await readPlanFile(Buffer.from(await book.xlsx.writeBuffer()), 't.xlsx');
        expect(doc.blocks).toEqual([{ kind: 'table', rows }]);
      }),
      { numRuns: 25 },
    );
  });

  it('from a .docx table', async () => {
    await fc.assert(
      fc.asyncProperty(grids, async (rows) => {
        const table = new Table({ rows: rows.map((row) => new TableRow({ children: row.map((text) => new TableCell({ children: [new Paragraph(text)] })) })) });
        const doc = await readPlanFile(await Packer.toBuffer(new Document({ sections: [{ children: [table] }] })), 't.docx');
        expect(doc.blocks).toEqual([{ kind: 'table', rows }]);
      }),
      { numRuns: 25 },
    );
  });
});

describe('readPlanFile: a file expanding past its bounds is 413 plan-file-too-complex, before exceljs or mammoth read it', () => {
  const SHEET = 'xl/worksheets/sheet1.xml';

  /** planWorkbook's sheet with `xml` added inside its root element (after the cells). */
  async function withInSheet(xml: string): Promise<{ file: Buffer; sheet: string }> {
    const book = await planWorkbook();
    const sheet = zipParts(book).get(SHEET)!.toString('utf8').replace('</worksheet>', `${xml}</worksheet>`);
    return { file: rezip(book, { [SHEET]: sheet }), sheet };
  }

  it('a sheet declaring more unzipped bytes than PLAN_FILE_LIMITS.expanded: refused from the ZIP directory, nothing inflated', async () => {
    const start = performance.now();
    const { slug, status, message } = await refusal(rezip(await planWorkbook(), {}, { [SHEET]: 200 * 1024 * 1024 }), '分解表.xlsx');
    expect({ slug, status }).toEqual({ slug: 'plan-file-too-complex', status: 413 });
    expect(message).toMatch(/^文件「分解表\.xlsx」解压后超过 64 MB，未导入任何事项。请删除无关的工作表、图片和空白行列，只保留分工表，或将文件拆分后分别导入/);
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('a zip bomb: 70 MB of sheet in a file under 200 KB', async () => {
    const { file } = await withInSheet(' '.repeat(70 * 1024 * 1024));
    expect(file.length).toBeLessThan(200 * 1024);
    expect(expandedBytes(file)).toBeGreaterThan(PLAN_FILE_LIMITS.expanded);
    expect(await refusal(file, 'bomb.xlsx')).toMatchObject({ slug: 'plan-file-too-complex', status: 413 });
  });

  it('a part that declares a small size and inflates to more is stopped while inflating, whatever its directory says', async () => {
    const { file, sheet } = await withInSheet(' '.repeat(20 * 1024 * 1024));
    const lying = rezip(file, {}, { [SHEET]: sheet.length - 20 * 1024 * 1024 });
    expect(expandedBytes(lying)).toBeLessThan(64 * 1024);
    expect(await refusal(lying, 'bomb.xlsx')).toMatchObject({ slug: 'plan-file-too-complex', status: 413, message: expect.stringContaining('解压后超过') });
  });

  it('a sheet whose used range passes PLAN_FILE_LIMITS.cells (one cell far down), though it holds two cells', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('分工表');
    sheet.getCell('A1').value = '工作任务';
    sheet.getCell('F60000').value = '市政数局';
    const refused = await refusal(Buffer.from(await book.xlsx.writeBuffer()), '分解表.xlsx');
    expect(refused).toEqual({
      status: 413,
      slug: 'plan-file-too-complex',
      message: expect.stringMatching(/^文件「分解表\.xlsx」的表格超过 300000 个单元格（按各工作表已用区域计，含空白单元格），未导入任何事项。请删除/),
    });
  });

  it('a merged range over the whole sheet (exceljs would create its 17 billion cells)', async () => {
    const { file } = await withInSheet('<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>');
    expect(await refusal(file, '分解表.xlsx')).toMatchObject({ slug: 'plan-file-too-complex', message: expect.stringContaining('300000 个单元格') });
  });

  it('more merged ranges in a sheet than PLAN_FILE_LIMITS.merges (exceljs compares each with every other)', async () => {
    const merges = Array.from({ length: PLAN_FILE_LIMITS.merges + 1 }, (_, i) => `<mergeCell ref="G${i + 10}:H${i + 10}"/>`).join('');
    const { file } = await withInSheet(`<mergeCells count="${PLAN_FILE_LIMITS.merges + 1}">${merges}</mergeCells>`);
    expect(await refusal(file, '分解表.xlsx')).toMatchObject({ slug: 'plan-file-too-complex', message: expect.stringContaining('合并单元格超过 5000 处') });
  });

  it('a Word table whose spans spread past PLAN_FILE_LIMITS.cells', async () => {
    const row = new TableRow({ children: [new TableCell({ columnSpan: 1000, children: [new Paragraph('宽')] })] });
    const doc = new Document({ sections: [{ children: [new Table({ rows: Array.from({ length: 301 }, () => row) })] }] });
    expect(await refusal(await Packer.toBuffer(doc), '方案.docx')).toMatchObject({ slug: 'plan-file-too-complex', status: 413 });
  });

  it('a text of more than PLAN_FILE_LIMITS.chars characters', async () => {
    const refused = await refusal(Buffer.from(`2024年工作要点\n${'推'.repeat(PLAN_FILE_LIMITS.chars)}`), '要点.txt');
    expect(refused).toMatchObject({ slug: 'plan-file-too-complex', message: expect.stringMatching(/^文件「要点\.txt」的文字超过 2000000 字/) });
  });

  it('a workbook inside every bound reads as before', async () => {
    const { file } = await withInSheet('<mergeCells count="1"><mergeCell ref="G10:H11"/></mergeCells>');
    expect(tables(await readPlanFile(file, '分解表.xlsx'))[0]).toHaveLength(4);
  });
});

describe('errors from a worker thread', () => {
  it('are rebuilt with their class, status, code, message and extensions', () => {
    for (const err of [new PlanFileTooComplexError('分解表.xlsx', 'cells'), new PlanFileTypeError('表.pdf', 'pdf'), new PlanYearMissingError()]) {
      // As postMessage would carry it: structured clone drops the class.
      const rebuilt = rebuiltError(structuredClone(threadError(err)));
      expect(rebuilt).toBeInstanceOf(err.constructor);
      expect(rebuilt).toEqual(err);
      expect(rebuilt.message).toBe(err.message);
    }
    expect(new PlanFileTooComplexError('a.xlsx', 'cells')).toMatchObject({
      status: 413,
      slug: 'plan-file-too-complex',
      extensions: { limit: 'cells', max: 300_000 },
    });
  });

  it('anything else arrives as an Error carrying the worker’s stack', () => {
    const rebuilt = rebuiltError(structuredClone(threadError(new TypeError('x is undefined'))));
    expect(rebuilt.message).toMatch(/^plan worker failed: TypeError: x is undefined\n\s+at /);
  });
});
