/**
 * Short forms plans use for a unit, each with the full names it may be registered under, most
 * likely first. Matched at the end of a name, so the prefix stays: 市发改局 → 市发展和改革局.
 * Names such as 公安局, 自然资源局 or 生态环境局 are already full.
 */
export const SHORT_FORMS: Readonly<Record<string, readonly string[]>> = {
  发改局: ['发展和改革局', '发展改革局'],
  发改委: ['发展和改革委员会', '发展改革委员会'],
  住建管理局: ['住房和城乡建设管理局', '住房和城乡建设局'],
  住建局: ['住房和城乡建设局', '住房和城乡建设管理局'],
  文广旅体局: ['文化广电旅游体育局'],
  文广旅局: ['文化广电旅游局'],
  卫健局: ['卫生健康局'],
  卫健委: ['卫生健康委员会', '卫生健康局'],
  人社局: ['人力资源和社会保障局'],
  医保局: ['医疗保障局'],
  工信局: ['工业和信息化局'],
  金融局: ['金融工作局', '地方金融监督管理局'],
  政数局: ['政务服务数据管理局'],
  市监局: ['市场监督管理局'],
  市场监管局: ['市场监督管理局'],
  交通局: ['交通运输局'],
  应急局: ['应急管理局'],
  科技局: ['科学技术局'],
  退役军人局: ['退役军人事务局'],
  城管局: ['城市管理和综合执法局', '城市管理综合执法局'],
  国资委: ['人民政府国有资产监督管理委员会', '国有资产监督管理委员会'],
  政法委: ['政法委员会'],
  网信办: ['网络安全和信息化委员会办公室'],
  编办: ['机构编制委员会办公室'],
};

const toFullWidth = (s: string) => s.replace(/\(/g, '（').replace(/\)/g, '）');
const toAscii = (s: string) => s.replace(/（/g, '(').replace(/）/g, ')');

/**
 * Spellings to look a unit up by, most likely first: the name as written, with its parentheses
 * in the other width, then with a short form expanded.
 */
export function nameCandidates(name: string): string[] {
  const written = name.trim();
  const variants = [written, toFullWidth(written), toAscii(written)];
  const expanded: string[] = [];
  for (const variant of variants) {
    for (const [short, fulls] of Object.entries(SHORT_FORMS)) {
      if (variant.endsWith(short)) expanded.push(...fulls.map((full) => variant.slice(0, -short.length) + full));
    }
  }
  return [...new Set([...variants, ...expanded])];
}
