// Not '@duban/http': a worker thread throws these, and the library's index loads Nest.
import { DomainError } from '@duban/http/domain-error';
import type { PlanDifferences } from './plan-diff.js';

export class PlanNotFoundError extends DomainError.of(404, 'plan-not-found', 'Plan not found') {
  constructor(id: string) {
    super(`There is no plan ${id}.`);
  }
}

/** Importing would leave items without an owner; the preview shows which names to fix (aliases). */
export class PlanNamesUnresolvedError extends DomainError.of(422, 'plan-names-unresolved', 'Unit names not found in the organisation') {
  constructor(unresolved: { name: string; items: string[] }[]) {
    super(
      `以下单位名称在组织机构中找不到：${unresolved.map((u) => `${u.name}（事项${u.items.join('、')}）`).join('；')}。请为其选择对应单位（登记为别名）或新建单位后再导入，本次未导入任何事项。` +
        ' Add them as departments or aliases, then import again.',
    );
    this.extensions.unresolved = unresolved;
  }
}

/** An item that names no unit and does not fan out has nobody to own it. */
export class PlanItemsWithoutOwnersError extends DomainError.of(422, 'plan-items-without-owners', 'Plan items without a responsible unit') {
  constructor(numbers: string[]) {
    super(
      `以下事项没有写明责任单位：${numbers.join('、')}。请在原文中注明牵头单位后再导入，本次未导入任何事项。 Name their units in the text, then import again.`,
    );
    this.extensions.items = numbers;
  }
}

/**
 * The plan (same title and year) was imported before and its text has changed: nothing is
 * written until the import says `revise: true` (API.md Plans); `differences` lists what would be.
 */
export class PlanChangedError extends DomainError.of(409, 'plan-changed', 'The plan was imported before and has changed') {
  constructor(title: string, planId: string, differences: PlanDifferences) {
    super(
      `计划《${title}》已导入，内容有变化：新增${differences.added.length}项、删除${differences.removed.length}项、修改${differences.changed.length}项；` +
        `确认后带 revise: true 再导入，本次未导入任何事项。 The plan was imported before and has changed: import with revise: true to apply the differences.`,
    );
    this.extensions.existingPlanId = planId;
    this.extensions.differences = differences;
  }
}

/** The most bytes a plan file may have: a year's 分工表 with pictures stays well inside. */
export const MAX_PLAN_FILE_BYTES = 10 * 1024 * 1024;

/**
 * The most characters a plan may have when pasted (POST /plans/import `text`): plans run to a few
 * tens of thousands of characters; a whole year's compendium stays well inside.
 */
export const MAX_PLAN_TEXT_CHARS = 500_000;

/**
 * What a plan file may expand to once read; a year's 分工表 has hundreds of rows and stays far
 * inside each. They keep one upload from holding the reader for minutes or its memory in GBs:
 * - `expanded`: bytes of a .docx/.xlsx's parts once unzipped (declared in its directory and
 *   checked while inflating): 11 MB for 40,000 rows of six columns;
 * - `cells`: a workbook's cells over each sheet's used range, empty ones included, and a Word
 *   document's table cells once merged cells are spread;
 * - `merges`: merged ranges in one sheet (exceljs compares each with every other on reading);
 * - `chars`: characters of the paragraphs and cells read, four times the pasted limit, as a table
 *   repeats a merged cell's text in every cell it covers and has columns the pasted text lacks.
 */
export const PLAN_FILE_LIMITS = { expanded: 64 * 1024 * 1024, cells: 300_000, merges: 5_000, chars: 4 * MAX_PLAN_TEXT_CHARS } as const;

/** Which bound a file passed; `memory` when reading it needed more than its worker thread may have. */
export type PlanFileLimit = keyof typeof PLAN_FILE_LIMITS | 'memory';

const SPLIT = '请删除无关的工作表、图片和空白行列，只保留分工表，或将文件拆分后分别导入';

/** A file under MAX_PLAN_FILE_BYTES whose content expands past PLAN_FILE_LIMITS (a large workbook, or a crafted one). */
export class PlanFileTooComplexError extends DomainError.of(413, 'plan-file-too-complex', 'Plan file too complex') {
  readonly args: [filename: string, limit: PlanFileLimit];

  constructor(filename: string, limit: PlanFileLimit) {
    const what = {
      expanded: `解压后超过 ${PLAN_FILE_LIMITS.expanded / 1024 / 1024} MB`,
      cells: `的表格超过 ${PLAN_FILE_LIMITS.cells} 个单元格（按各工作表已用区域计，含空白单元格）`,
      merges: `的一张工作表中合并单元格超过 ${PLAN_FILE_LIMITS.merges} 处`,
      chars: `的文字超过 ${PLAN_FILE_LIMITS.chars} 字`,
      memory: '读取时所需内存超过上限',
    }[limit];
    super(
      `文件「${filename}」${what}，未导入任何事项。${SPLIT}。 The file's content is too large to read (${limit}); keep only the plan's table or split the file.`,
    );
    this.args = [filename, limit];
    this.extensions.filename = filename;
    this.extensions.limit = limit;
    if (limit !== 'memory') this.extensions.max = PLAN_FILE_LIMITS[limit];
  }
}

const SAVE_AS = '请在 Word / WPS 中另存为 .docx，或在 Excel 中另存为 .xlsx 后再导入';

/*
 * The file errors keep their constructor's arguments (`args`): a file read in a worker thread
 * (plan-parser.ts) sends the slug and arguments back, and the calling thread rebuilds the same
 * error, class, status and message, as an error's class does not cross between threads.
 */

export class PlanFileEmptyError extends DomainError.of(400, 'plan-file-empty', 'Empty plan file') {
  readonly args: [filename: string];

  constructor(filename: string) {
    super(`文件「${filename}」是空的（0 字节），未导入任何事项。The file is empty; nothing was imported.`);
    this.args = [filename];
    this.extensions.filename = filename;
  }
}

export class PlanFileTooLargeError extends DomainError.of(413, 'plan-file-too-large', 'Plan file too large') {
  readonly args: [filename?: string];

  constructor(filename?: string) {
    const limit = `${MAX_PLAN_FILE_BYTES / 1024 / 1024} MB`;
    super(`${filename ? `文件「${filename}」` : '文件'}超过 ${limit} 上限，未导入任何事项。A plan file may be at most ${limit}; nothing was imported.`);
    this.args = [filename];
    this.extensions.maxBytes = MAX_PLAN_FILE_BYTES;
    if (filename) this.extensions.filename = filename;
  }
}

/**
 * Office keeps a password-protected .docx/.xlsx as an OLE2 compound file holding
 * EncryptionInfo and EncryptedPackage streams ([MS-OFFCRYPTO] 2.3.4): nothing is readable without the password.
 */
export class PlanFileEncryptedError extends DomainError.of(400, 'plan-file-encrypted', 'Plan file is password-protected') {
  readonly args: [filename: string];

  constructor(filename: string) {
    super(`文件「${filename}」已加密，请去除密码后再导入，未导入任何事项。The file is password-protected; remove the password and import again.`);
    this.args = [filename];
    this.extensions.filename = filename;
  }
}

/** The content (not the name) is not a kind plans are read from: old .doc/.xls, PDF, or something else. */
export class PlanFileTypeError extends DomainError.of(415, 'plan-file-type', 'Plan file type not accepted') {
  readonly args: [filename: string, detected: 'doc' | 'xls' | 'pdf' | null];

  constructor(filename: string, detected: 'doc' | 'xls' | 'pdf' | null) {
    const advice =
      detected === 'pdf'
        ? '是 PDF 文件，无法可靠读取其中的表格；请导入原始的 .docx / .xlsx 文件，或将表格文字复制后粘贴导入'
        : detected === 'doc'
          ? `是旧版 Word（.doc）文件；${SAVE_AS}`
          : detected === 'xls'
            ? `是旧版 Excel（.xls）文件；${SAVE_AS}`
            : `的类型无法识别；只接受 .xlsx、.docx 和 .txt 文件（按文件内容判断），${SAVE_AS}`;
    super(`文件「${filename}」${advice}。未导入任何事项。 Only .xlsx, .docx and .txt are read: save the file as .docx or .xlsx.`);
    this.args = [filename, detected];
    this.extensions.filename = filename;
    this.extensions.detected = detected;
  }
}

/** A ZIP (as .docx/.xlsx are) that cannot be read as a Word document or a workbook: damaged, or not what its parts say. */
export class PlanFileUnreadableError extends DomainError.of(400, 'plan-file-unreadable', 'Plan file unreadable') {
  readonly args: [filename: string, reason: string];

  constructor(filename: string, reason: string) {
    super(
      `文件「${filename}」无法读取（${reason}），可能已损坏；请用 Word / Excel 打开后重新保存再导入，未导入任何事项。 The file cannot be read; nothing was imported.`,
    );
    this.args = [filename, reason];
    this.extensions.filename = filename;
  }
}

/**
 * The text or file holds no item the parser recognises: a plan of nothing is not imported. The
 * parser's warnings say why (a table without a task column, say) and are repeated here.
 */
export class PlanNoItemsError extends DomainError.of(400, 'plan-no-items', 'No plan items found') {
  constructor(filename: string | undefined, warnings: string[]) {
    const reasons = warnings.filter((w) => w !== '未识别到任何条目');
    super(
      `${filename ? `文件「${filename}」中` : ''}未识别到任何条目${reasons.length > 0 ? `（${reasons.join('；')}）` : ''}：` +
        '没有编号的工作事项，也没有可识别“工作任务”等列的表格。请检查内容后再导入，本次未导入任何事项。' +
        ' No items were found: no numbered items and no table with a recognisable task column.',
    );
    if (filename) this.extensions.filename = filename;
    this.extensions.warnings = reasons;
  }
}
