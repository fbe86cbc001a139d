export type OwnerRole = 'lead' | 'co';

export interface PlanOwner {
  /** As the document writes it, with the city prefix of the list's first unit inherited. */
  name: string;
  role: OwnerRole;
}

export interface PlanItem {
  /** As printed, e.g. `(一)`, `（一）`, `3.`, `①`, `第一条`, `一是`. */
  number: string;
  /** Text of the nearest enclosing heading, without its number; null when the item has none. */
  section: string | null;
  /** The first sentence of the body. */
  title: string;
  /** The item's text without its number and without the owner and deadline annotations. */
  body: string;
  owners: PlanOwner[];
  fanOut: 'counties' | null;
  /**
   * The counties' role on the item when it fans out: absent or `lead`, each county leads its
   * share and is no owner of the item itself; `co`, the fan-out phrase stood among the co-units
   * (`配合单位：各县(市、区)政府`), so each county still gets its share (a child task it leads)
   * and is also a co-unit (配合单位) of the item, never one of its leads.
   */
  fanOutRole?: OwnerRole;
  /** `YYYY-MM-DD`, the last calendar day the item is due (inclusive); null if none or long-term. */
  due: string | null;
  /** The phrase `due` was read from, as written. */
  dueText: string | null;
  targets: string[];
  warnings: string[];
}

export interface ParsedPlan {
  title: string;
  year: number;
  items: PlanItem[];
  warnings: string[];
}

export interface ParseOptions {
  year?: number;
}

export class PlanYearMissingError extends Error {
  constructor() {
    super('未能确定计划年份：标题和正文都没有写年份，请指定 year (no year in the title or text; pass options.year)');
    this.name = 'PlanYearMissingError';
  }
}
