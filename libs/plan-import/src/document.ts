/**
 * A plan as its reader sees it: paragraphs and tables in reading order. Files (.xlsx, .docx) are
 * read into this shape by libs/plans (the I/O side); plain text is read into it by
 * `readTextDocument` (tables that lost their grid are rebuilt there). The parser then takes
 * items from the tables whose columns it recognises and from the prose around them.
 */
export interface PlanParagraph {
  kind: 'paragraph';
  text: string;
}

/**
 * A table's cells as people read them: a merged cell's text is repeated in every row and column
 * it covers (a 牵头单位 merged over three rows leads all three), rows are in order, and every row
 * has as many cells as the widest row (missing ones are ''). Cells keep their line breaks as '\n'.
 */
export interface PlanTable {
  kind: 'table';
  rows: string[][];
  /**
   * Rows whose cell count did not match the header's when the table was rebuilt from text: the
   * row's index in `rows` and what was wrong, in Chinese, for the preview's warnings.
   */
  problems?: { row: number; message: string }[];
}

export type PlanBlock = PlanParagraph | PlanTable;

export interface PlanDocument {
  blocks: PlanBlock[];
}
