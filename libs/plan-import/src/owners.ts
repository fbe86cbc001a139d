import { findDeadlines, LONG_TERM } from './deadlines.js';
import { LOOSE_ENDS, type Span, fold, outerGroups, slice, span, splitOutside, trim } from './text.js';
import type { OwnerRole, PlanOwner } from './types.js';

/** Folded forms of 、 ， , ； ; */
const UNIT_SEPARATORS = '、,;';

/** A unit list cut on 、，,；; outside brackets, each unit as written. */
export function splitUnits(list: string): string[] {
  const s = span(list);
  return splitOutside(s.f, UNIT_SEPARATORS)
    .map(([a, b]) => trim(slice(s, a, b)).raw)
    .filter((unit) => unit.length > 0);
}

/**
 * Phrases that stand for every county (县、县级市、区) rather than for one unit. Tested against a
 * unit that is folded (ASCII punctuation, simplified keywords), without spaces and without its
 * trailing role word; isFanOutPhrase does that for text as written. 各地级以上市 is the
 * prefecture level and not a fan-out to counties.
 */
export const COUNTY_FAN_OUT = /^各(?:县\((?:市[、,]区|区[、,]市)\)|县市区|县\(市\)区|县区|区县|县市|县(?!级以上)|区(?!域))|^各地(?:人民政府|政府)?$/;

/**
 * A role word at a unit's end. 落实 (carry out) after a role adds nothing to it: `市发改委牵头落实`,
 * `分别牵头落实`, `负责落实`, `具体落实` (which names the units doing the work, as 负责 does); a bare
 * 落实 is prose (`抓好落实`). `按职责分工` alone says what `按职责分工负责` says.
 */
const ROLE_WORD =
  /(?:等(?:单位|部门)?)?(?:共同|分别|按职责分工|按职责)?(牵头负责|负责牵头|牵头落实|负责落实|具体落实|牵头|负责|按职责分工|主办|配合|协办|参与)$/;
const ROLE_OF: Readonly<Record<string, OwnerRole>> = {
  牵头负责: 'lead',
  牵头落实: 'lead',
  负责落实: 'lead',
  具体落实: 'lead',
  按职责分工: 'lead',
  负责牵头: 'lead',
  牵头: 'lead',
  负责: 'lead',
  主办: 'lead',
  配合: 'co',
  协办: 'co',
  参与: 'co',
};

/**
 * The same one level further down, in a district's or county's plan: every town or street office
 * (`各街道`, `各镇(街道)`, `各乡镇(街道)`, `相关街道`). They are the governments below the plan's own,
 * as the counties are below a city's, and the item fans out to them in the same way (the
 * directory lists the governments one level below as its counties). A bare 各镇 stays a unit, as
 * it always has: a city's plan naming its towns reaches two levels down, past the counties.
 */
const STREET_FAN_OUT = /^(?:各|相关|有关)(?:乡镇|街道|街镇|镇街|[乡镇](?=\())(?:\((?:乡镇|镇|街道)\))?(?:办事处|人民政府|政府)?$/;

const isFanOutFolded = (f: string) => {
  const phrase = f.replace(/\s+/g, '');
  return COUNTY_FAN_OUT.test(phrase) || STREET_FAN_OUT.test(phrase);
};

export function isFanOutPhrase(unit: string): boolean {
  const f = fold(unit).trim();
  const role = ROLE_WORD.exec(f);
  return isFanOutFolded(role ? f.slice(0, role.index) : f);
}

const TITLES =
  '常务副市长|副市长|市长|副秘书长|秘书长|副局长|局长|副主任|主任|副书记|书记|副县长|县长|副区长|区长|' +
  '副部长|部长|副厅长|厅长|副处长|处长|副主席|主席|副镇长|镇长|同志';
/** A leader named among the units: `张三副市长`, `李四同志`. */
const PERSON = new RegExp(`^[\\u4e00-\\u9fa5·]*(?:${TITLES})$`);
/**
 * A leader written before a unit with only a space or colon between. Without that separator the
 * title may be part of a name (市长热线办公室), so it is left alone.
 */
const PERSON_BEFORE_UNIT = new RegExp(`^[\\u4e00-\\u9fa5·]{2,4}?(?:${TITLES})(?:\\s+|:)`);

const ORGANISATION = /(?:局|委|办|厅|部|署|院|会|中心|政府|公司|集团|行|所|站|队|处|室|社|馆|台|团|组|联|协|海关|校)$/;
/** A place stands for its government: 南雄市, 乐昌市, 仁化县, 浈江区. */
const PLACE = /^[\u4e00-\u9fa5]{2,12}?(?:市|县|区|镇|乡|街道)$/;

/** Without a trailing 等, 等单位 or 等部门. */
const withoutEtc = (f: string) => f.replace(/等(?:单位|部门)?$/, '');

/**
 * Whether folded text (without its role word) is a complete unit name on its own: it ends as an
 * organisation does (局, 委, 办, 中心, 政府, 海关…), or names a place or every county.
 */
function isUnitName(f: string): boolean {
  const name = withoutEtc(f.trim());
  return ORGANISATION.test(name) || PLACE.test(name) || isFanOutFolded(name);
}

type LabelKind = OwnerRole | 'due';

const LABELS: ReadonlyMap<string, LabelKind> = new Map<string, LabelKind>([
  ['牵头单位', 'lead'],
  ['牵头部门', 'lead'],
  ['责任单位', 'lead'],
  ['责任部门', 'lead'],
  ['主办单位', 'lead'],
  ['主责单位', 'lead'],
  ['负责单位', 'lead'],
  ['部门分工', 'lead'],
  ['责任分工', 'lead'],
  ['主办', 'lead'],
  ['牵头', 'lead'],
  ['配合单位', 'co'],
  ['配合部门', 'co'],
  ['协办单位', 'co'],
  ['参与单位', 'co'],
  ['参与部门', 'co'],
  ['会办单位', 'co'],
  ['协办', 'co'],
  ['配合', 'co'],
  ['参与', 'co'],
  ['完成时限', 'due'],
  ['完成时间', 'due'],
  ['时间节点', 'due'],
  ['时限要求', 'due'],
  ['办结时限', 'due'],
]);

const LABEL_NAMES = [...LABELS.keys()].sort((a, b) => b.length - a.length).join('|');
/** A label such as 牵头单位： where a label can begin: at the start, or after punctuation or a bracket. */
const LABEL = new RegExp(`(?<=^|[\\s。;,.、()\\[\\]])(${LABEL_NAMES})\\s*:`, 'g');
const LABEL_LINE = new RegExp(`^[\\[(]?\\s*(?:${LABEL_NAMES})\\s*:`);

/** A folded line that is an annotation of the item above (`牵头单位：市公安局`, `〔完成时限：…〕`). */
export const isAnnotationLine = (f: string): boolean => LABEL_LINE.test(f.trim());

/** LABEL without its global flag, to test with. */
const ANY_LABEL = new RegExp(LABEL.source);
const hasLabel = (f: string) => f.includes(':') && ANY_LABEL.test(f);

/** A piece of an item that names owners or a deadline rather than work: removed from the body. */
export interface Part {
  start: number;
  end: number;
  spec: Span;
}

const LINE_END_FILLER = /[\s。;,.、]/;

/** Whether only separators stand between `after` and the end of its line; reads no further than the first other character. */
function endsLine(f: string, after: number): boolean {
  for (let i = after; i < f.length; i++) {
    const c = f[i]!;
    if (c === '\n') return true;
    if (!LINE_END_FILLER.test(c)) return false;
  }
  return true;
}

function unitsOf(f: string): string[] {
  return splitOutside(f, UNIT_SEPARATORS)
    .map(([a, b]) => f.slice(a, b).trim())
    .filter((u) => u.length > 0);
}

/**
 * A parenthesis names owners when a unit in it carries a role word (牵头, 配合…), or, at the end
 * of a line, when everything in it reads as an organisation (`(市公安局、市财政局)`); a
 * parenthesis such as `(CIM)` or `(试行)` is prose.
 */
function isOwnerParen(f: string, atLineEnd: boolean): boolean {
  if (f.includes('。')) return false;
  const units = unitsOf(f);
  if (units.some((u) => ROLE_WORD.test(u))) return true;
  return (
    atLineEnd &&
    units.some((u) => !PERSON.test(u)) &&
    units.every((u) => isFanOutFolded(u) || PERSON.test(u) || ORGANISATION.test(withoutEtc(u.replace(LEAD_MARK, ''))))
  );
}

/**
 * Owner and deadline annotations in an item: parentheses or brackets that name owners or
 * carry a label, and labelled text (牵头单位：…) outside brackets, which runs to the end of its line.
 */
export function findOwnerParts(s: Span): Part[] {
  // Without brackets there are no groups, without a colon no label: most lines have neither.
  const groups = s.f.includes('(') || s.f.includes('[') ? outerGroups(s.f) : [];
  if (groups.length === 0 && !s.f.includes(':')) return [];
  const inGroups: Part[] = [];
  for (const g of groups) {
    const content = slice(s, g.open + 1, g.close);
    if (hasLabel(content.f) || (g.kind === '(' && isOwnerParen(content.f, endsLine(s.f, g.close + 1)))) {
      inGroups.push({ start: g.open, end: g.close + 1, spec: content });
    }
  }
  // Labels come in order, groups and group parts are sorted and disjoint: one pass over each.
  const labelled: Part[] = [];
  // Made at the first part dropped: most texts drop none.
  let dropped: Set<Part> | null = null;
  let group = 0;
  let part = 0;
  let labelEnd = -1;
  // exec rather than matchAll, which copies the pattern at every call; and no scan without a colon.
  LABEL.lastIndex = 0;
  for (let m = s.f.includes(':') ? LABEL.exec(s.f) : null; m; m = LABEL.exec(s.f)) {
    const at = m.index;
    while (group < groups.length && groups[group]!.close < at) group++;
    const g = groups[group];
    if ((g && g.open < at && at < g.close) || at < labelEnd) continue;
    const lineEnd = s.f.indexOf('\n', at);
    labelEnd = lineEnd < 0 ? s.f.length : lineEnd;
    while (part < inGroups.length && inGroups[part]!.start < at) part++;
    for (; part < inGroups.length && inGroups[part]!.end <= labelEnd; part++) (dropped ??= new Set()).add(inGroups[part]!);
    labelled.push({ start: at, end: labelEnd, spec: slice(s, at, labelEnd) });
  }
  if (labelled.length === 0) return inGroups;
  if (inGroups.length === 0) return labelled;
  return inGroups
    .filter((p) => !dropped?.has(p))
    .concat(labelled)
    .sort((a, b) => a.start - b.start);
}

/** Whether the text ends with an owner annotation, after which only further annotations can follow. */
export function endsWithOwners(s: Span): boolean {
  const lastLine = s.f.lastIndexOf('\n');
  return findOwnerParts(s).some((p) => p.end > lastLine && endsLine(s.f, p.end));
}

/**
 * Whether a piece of an owner list is a deadline rather than a unit (the year is irrelevant to
 * finding the phrase); 常态化监测中心 is a unit all the same.
 */
const isDeadline = (f: string) => findDeadlines(f, 2000).length > 0 || (LONG_TERM.test(f) && !ORGANISATION.test(f));

export interface Unit {
  raw: string;
  f: string;
  role: OwnerRole;
  /**
   * Named a lead only by a 责任单位-style label (no role word of its own): it leads when no other
   * unit is named the lead, and shares the work when one is (see resolveOwners).
   */
  duty?: true;
}

/**
 * Labels that name the units responsible without saying who leads: 责任单位 alone names the leads,
 * beside a 牵头单位 it names the units that share the work (`牵头单位：A` then `责任单位：B、C`, as
 * responsibility tables and annotations print them).
 */
const DUTY_LABELS = new Set(['责任单位', '责任部门', '负责单位']);

/** Role words that name the leads: after one of them, a list's 负责 names the units that share the work. */
const LEAD_WORDS = new Set(['牵头负责', '负责牵头', '牵头落实', '牵头', '主办']);
/** Role words that name the units doing the work: leads alone, co-units after named leads. */
const SHARING_WORDS = new Set(['负责', '负责落实', '具体落实', '按职责分工']);

/**
 * Names that hold a conjunction after a complete unit name and are one unit all the same:
 * 政府和社会资本合作中心 (the PPP centre).
 */
const JOINED_NAMES = ['政府和社会资本合作'];

/** Longer than any unit's name: a conjunction further from the last cut is prose, not a list. */
const MAX_NAME = 40;

/** Whose the unit is goes unsaid: in 各县(市、区)党委和政府 the 政府 is the counties' own. */
const UNQUALIFIED = /^(?:党委|政府|人民政府|党委政府)$/;

/**
 * Whether f[start, end) is an organisation's whole name, a fan-out phrase or a group of units
 * (`州直相关单位`, `市级各有关部门`), short enough to be one, and says whose unit it is. A place
 * name is not enough here: 市智慧城市和数字政府建设中心 is one unit.
 */
function isNameBefore(f: string, start: number, end: number): boolean {
  if (end - start > MAX_NAME) return false;
  const name = withoutEtc(f.slice(start, end).trim());
  return (ORGANISATION.test(name) || isFanOutFolded(name) || isGroupName(name)) && !UNQUALIFIED.test(name);
}

/**
 * The units a piece of an owner list joins with 及, 以及, 和 or 与 (`市财政局及各县(市、区)政府`,
 * `州委编办及州直相关单位`), as [start, end) ranges of folded text. A conjunction separates only
 * where what stands before it is a complete unit name or group of units and what follows is one too, so 市住房和城乡建设局,
 * 市人力资源和社会保障局 and 市委机要和保密局 stay whole.
 */
function conjoined(f: string): Array<[number, number]> {
  const cuts: Array<[number, number]> = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < f.length; i++) {
    const c = f[i]!;
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth = depth > 0 ? depth - 1 : 0;
    else if (depth === 0 && (c === '及' || c === '和' || c === '与')) {
      if (JOINED_NAMES.some((name) => name.includes(c) && f.startsWith(name, i - name.indexOf(c)))) continue;
      const at = c === '及' && f[i - 1] === '以' ? i - 1 : i;
      if (isNameBefore(f, start, at)) {
        cuts.push([start, at]);
        start = i + 1;
      }
    }
  }
  // The last cut stands only if what follows it is a unit or a group of units.
  const last = cuts[cuts.length - 1];
  if (last && !isNameBefore(f, start, f.length)) start = cuts.pop()![0];
  return [...cuts, [start, f.length]];
}

/**
 * A mark after a unit in a list that names its lead: `区政府办公室*、区财政局` (responsibility
 * tables mark the lead unit with *, ★ or ※ instead of a separate 牵头单位 column).
 */
const LEAD_MARK = /[*★※]$/;

/**
 * A legend written inside a list rather than a unit: `排在首位的为牵头单位` (the first unit of each
 * list leads, the others share the work), with its `下同` (the same below).
 */
const FIRST_LEADS = /^(?:排|列)在(?:首位|第一位|第一|最前)的?(?:单位)?(?:为|是)牵头(?:单位|部门)$/;
const SAME_BELOW = /^下同$/;

/** Words for a group of units rather than a part of one name: 有关部门, 各成员单位, 市直各部门. */
const GROUP_WORDS = /^(?:各|有关|相关)|(?:单位|部门|机构)$/;

/**
 * A group of units that a conjunction can join to another unit: 有关部门, 州直相关单位, 市级各有关部门.
 * A bare 单位 or 部门 is the tail of `有关部门和单位`, not a group of its own.
 */
const isGroupName = (name: string) => /(?:单位|部门|机构)$/.test(name) && /各|有关|相关|直/.test(name.slice(0, -2));

/**
 * A part of a list that is not a unit on its own and may share the suffix of the unit after it:
 * 广州 and 深圳 in `广州、深圳、拱北海关`. Short, and no role word, leader, date or group word.
 */
function isFragment(part: string): boolean {
  return (
    part.length > 0 &&
    !LEAD_MARK.test(part) &&
    part.length <= 8 &&
    !isUnitName(part) &&
    !GROUP_WORDS.test(part) &&
    !ROLE_WORD.test(part) &&
    !PERSON.test(part) &&
    !isDeadline(part)
  );
}

/** Whether a piece (with its role word) is one organisation's name that fragments before it can share. */
function takesFragments(part: string): boolean {
  const role = ROLE_WORD.exec(part);
  const name = withoutEtc(role ? part.slice(0, role.index) : part).trim();
  return ORGANISATION.test(name) && !isFanOutFolded(name);
}

/**
 * The pieces of a list: cut on 、，；, except that parts sharing one suffix (`广州、深圳、拱北海关`)
 * are one unit as written unless each is a complete unit name on its own (`市教育局、市科技局`
 * are two). Parts that share nothing (`市直各部门、各县(市、区)政府`) stay apart.
 */
function pieces(f: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  // Fragments so far, each followed by 、.
  let fragments: Array<[number, number]> = [];
  for (const [a, b] of splitOutside(f, UNIT_SEPARATORS)) {
    if (f[b] === '、' && isFragment(f.slice(a, b).trim())) {
      fragments.push([a, b]);
      continue;
    }
    if (fragments.length > 0 && takesFragments(f.slice(a, b).trim())) out.push([fragments[0]![0], b]);
    else out.push(...fragments, [a, b]);
    fragments = [];
  }
  return out;
}

/**
 * Units in one list. A role word closes a run: `A、B牵头，C配合` makes A and B lead and C co;
 * units after the last role word take the list's role. After leads were named, 负责 names
 * co-units (`A牵头，B、C按职责分工负责`), though a fan-out phrase there still leads its
 * counties' shares. A list that marks its lead (`A*、B`) or says its first unit leads
 * (`A、B，排在首位的为牵头单位`, or a legend earlier in the document said so with 下同) makes the
 * others co. Leaders' names are dropped, and a piece that is a date (`2023年底前完成`) is handed
 * back as deadline text.
 */
function readUnits(list: Span, role: OwnerRole, due: Span[], duty: boolean, legend: Legend): Unit[] {
  const out: Unit[] = [];
  let run: Unit[] = [];
  let led = false;
  let firstLeads = false;
  let sameBelow = false;
  // Made at the first marked unit: most lists mark none.
  let marked: Set<Unit> | null = null;
  for (const [a, b] of pieces(list.f)) {
    let u = trim(slice(list, a, b));
    if (!u.f) continue;
    if (SAME_BELOW.test(u.f)) {
      sameBelow = true;
      continue;
    }
    if (FIRST_LEADS.test(u.f)) {
      firstLeads = true;
      continue;
    }
    const mark = LEAD_MARK.exec(u.f);
    if (mark) u = trim(slice(u, 0, mark.index));
    if (isDeadline(u.f)) {
      due.push(u);
      continue;
    }
    if (u.f.startsWith('由')) u = trim(slice(u, 1));
    const marker = ROLE_WORD.exec(u.f);
    if (marker) u = trim(slice(u, 0, marker.index));
    const leader = PERSON_BEFORE_UNIT.exec(u.f);
    if (leader) u = trim(slice(u, leader[0].length));
    for (const [c, d] of conjoined(u.f)) {
      let unit = trim(slice(u, c, d));
      const etc = /等(?:单位|部门)?$/.exec(unit.f);
      if (etc) unit = trim(slice(unit, 0, etc.index));
      if (!unit.f || PERSON.test(unit.f)) continue;
      const read: Unit = { raw: unit.raw, f: unit.f, role, ...(duty ? { duty: true as const } : {}) };
      if (mark) (marked ??= new Set()).add(read);
      run.push(read);
    }
    if (marker) {
      const word = marker[1]!;
      for (const unit of run) {
        delete unit.duty;
        unit.role = SHARING_WORDS.has(word) && led && !isFanOutFolded(unit.f) ? 'co' : ROLE_OF[word]!;
        out.push(unit);
      }
      led ||= LEAD_WORDS.has(word);
      run = [];
    }
  }
  const units = out.concat(run);
  if (firstLeads && sameBelow) legend.firstLeads = true;
  // A later list of units under the legend: one with no role words of its own and no mark.
  firstLeads ||= legend.firstLeads && role === 'lead' && out.length === 0 && units.length > 1;
  if (!marked && !firstLeads) return units;
  // The list says which of its units leads: the others share the work.
  return units.map((unit, i) => ({ raw: unit.raw, f: unit.f, role: (marked ? marked.has(unit) : i === 0) ? 'lead' : 'co' }));
}

/**
 * What a document has said about its own owner lists, for the items after it: `排在首位的为牵头单位，
 * 下同` (the first unit of each list leads, the same below) sets firstLeads.
 */
export interface Legend {
  firstLeads: boolean;
}

/**
 * Units and deadline texts in one annotation; text before any label is a list of leads. A legend
 * the annotation writes for the lists below it is recorded in `legend`.
 */
export function readSpec(spec: Span, legend: Legend = { firstLeads: false }): { units: Unit[]; due: Span[] } {
  const units: Unit[] = [];
  const due: Span[] = [];
  // exec rather than matchAll, which copies the pattern at every call (every item's every annotation).
  const labels: RegExpExecArray[] = [];
  LABEL.lastIndex = 0;
  for (let m = spec.f.includes(':') ? LABEL.exec(spec.f) : null; m; m = LABEL.exec(spec.f)) labels.push(m);
  const read = (start: number, end: number, kind: LabelKind, duty = false) => {
    const segment = trim(slice(spec, start, end), LOOSE_ENDS);
    if (!segment.f) return;
    if (kind === 'due') due.push(segment);
    else for (const unit of readUnits(segment, kind, due, duty, legend)) units.push(unit);
  };
  read(0, labels[0]?.index ?? spec.f.length, 'lead');
  labels.forEach((m, i) => read(m.index + m[0].length, labels[i + 1]?.index ?? spec.f.length, LABELS.get(m[1]!)!, DUTY_LABELS.has(m[1]!)));
  return { units, due };
}

/** Starts with the city's own prefix; 市场监管局 starts with 市场 (market), not with 市. */
const CITY_LEVEL = /^市(?!场)/;
const NAMED_CITY = /^[\u4e00-\u9fa5]{2,4}?市(?!场)/;
/** Already says whose unit it is: another level, a named place, a party or national body. */
const QUALIFIED = /^(?:市(?!场)|省|县|区|镇|乡|街道|各|中共|中国|国家|中央|全国|广东|粤|共青团|[A-Za-z0-9])|^[\u4e00-\u9fa5]{2,8}?(?:省|市(?!场)|县|区)/;

function cityPrefix(first: Unit | undefined): string | null {
  if (!first) return null;
  if (CITY_LEVEL.test(first.f)) return first.raw.slice(0, 1);
  const named = NAMED_CITY.exec(first.f);
  return named ? first.raw.slice(0, named[0].length) : null;
}

/**
 * Names that keep their own words in any list: the local offices of national or vertical bodies,
 * which carry their own place name and are no bureau of the city — customs (`拱北海关`), a
 * regulator's or tax office's branch (`潍坊银监分局`), a bank's (`人民银行潍坊市中心支行`), a
 * company's (`分公司`) — and parts sharing one suffix (`广州、深圳、拱北海关`), written as one unit.
 */
const OWN_NAME = /(?:海关|分局|支行|分行|分公司)$|、/;

/**
 * Owners in order: units of a 责任单位 label are co-units when another unit is named the lead
 * (`牵头单位：A；责任单位：B` — the item's annotations are read together), though a fan-out phrase
 * there still leads its counties' shares, as after 负责; fan-out phrases leave the list, later units inherit the city prefix of the
 * first (`市政务服务数据管理局、农业农村局` → 市农业农村局), and a unit named twice keeps its first place.
 * `fanOutRole` is the role the counties take on the item: lead when a fan-out phrase is among
 * the leads, co when it is only among the co-units (`配合单位：各县(市、区)政府`); either way each
 * county gets a share of its own.
 */
export function resolveOwners(read: readonly Unit[]): { owners: PlanOwner[]; fanOut: boolean; fanOutRole: OwnerRole } {
  const led = read.some((u) => u.role === 'lead' && !u.duty);
  // Whether each unit is a fan-out phrase, asked once: a long list asks it of every unit.
  const fans = read.map((u) => isFanOutFolded(u.f));
  const units = read.map((u, i) => (led && u.duty && !fans[i] ? { ...u, role: 'co' as const } : u));
  const named = units.filter((_, i) => !fans[i]);
  const counties = units.filter((_, i) => fans[i]);
  const prefix = cityPrefix(named[0]);
  const owners: PlanOwner[] = [];
  // A single unit cannot repeat: the Set is made only for a list (most items name one unit).
  const seen = named.length > 1 ? new Set<string>() : null;
  named.forEach((u, i) => {
    const name = i > 0 && prefix && !QUALIFIED.test(u.f) && !OWN_NAME.test(u.f) ? prefix + u.raw : u.raw;
    if (!seen?.has(name)) owners.push({ name, role: u.role });
    seen?.add(name);
  });
  const fanOutRole = counties.length > 0 && counties.every((u) => u.role === 'co') ? 'co' : 'lead';
  return { owners, fanOut: counties.length > 0, fanOutRole };
}
