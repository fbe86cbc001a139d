/**
 * The demo organisation: Shaoguan as its 2023 digital-government plan (seed 004) names it.
 * Full names as the bureaus sign them; aliases as documents write them, so that the plan
 * imports with every unit resolved.
 */
import type { DepartmentKind } from '@duban/db';

export interface DemoDepartment {
  code: string;
  name: string;
  kind: DepartmentKind;
  aliases: string[];
  /** The user-name stem of its lead and handler: <login>-lead, <login>-handler. */
  login: string;
}

export const CITY_GOVERNMENT: DemoDepartment = { code: 'sg-gov', name: '韶关市人民政府', kind: 'other', aliases: ['市政府', '市人民政府'], login: 'sg-gov' };

/** Supervises every department under the city government: the supervisors live here. */
export const SUPERVISION_OFFICE: DemoDepartment = {
  code: 'sg-dcs',
  name: '韶关市人民政府督查室',
  kind: 'office',
  aliases: ['督查室', '市政府督查室'],
  login: 'dcs',
};

export const BUREAUS: DemoDepartment[] = [
  { code: 'sg-zsj', name: '韶关市政务服务数据管理局', kind: 'bureau', aliases: ['市政务服务数据管理局', '市政数局', '政数局'], login: 'zsj' },
  { code: 'sg-xzfw', name: '韶关市行政服务中心', kind: 'bureau', aliases: ['市行政服务中心'], login: 'xzfw' },
  { code: 'sg-ggzy', name: '韶关市公共资源交易中心', kind: 'bureau', aliases: ['市公共资源交易中心'], login: 'ggzy' },
  { code: 'sg-zfw', name: '中共韶关市委政法委员会', kind: 'bureau', aliases: ['市委政法委'], login: 'zfw' },
  { code: 'sg-wxb', name: '中共韶关市委网络安全和信息化委员会办公室', kind: 'bureau', aliases: ['市委网信办'], login: 'wxb' },
  { code: 'sg-jmj', name: '中共韶关市委机要和保密局', kind: 'bureau', aliases: ['市委机要和保密局', '市委机要局'], login: 'jmj' },
  { code: 'sg-fgj', name: '韶关市发展和改革局', kind: 'bureau', aliases: ['市发展改革局', '市发改局'], login: 'fgj' },
  { code: 'sg-zjj', name: '韶关市住房和城乡建设管理局', kind: 'bureau', aliases: ['市住建管理局', '市住建局'], login: 'zjj' },
  { code: 'sg-scj', name: '韶关市市场监督管理局', kind: 'bureau', aliases: ['市市场监管局', '市市场监督管理局'], login: 'scj' },
  { code: 'sg-nyj', name: '韶关市农业农村局', kind: 'bureau', aliases: ['市农业农村局'], login: 'nyj' },
  { code: 'sg-zrj', name: '韶关市自然资源局', kind: 'bureau', aliases: ['市自然资源局'], login: 'zrj' },
  { code: 'sg-gaj', name: '韶关市公安局', kind: 'bureau', aliases: ['市公安局'], login: 'gaj' },
  { code: 'sg-jrj', name: '韶关市金融工作局', kind: 'bureau', aliases: ['市金融局', '市金融工作局'], login: 'jrj' },
  { code: 'sg-tjj', name: '韶关市统计局', kind: 'bureau', aliases: ['市统计局'], login: 'tjj' },
  { code: 'sg-slj', name: '韶关市水务局', kind: 'bureau', aliases: ['市水务局'], login: 'slj' },
  { code: 'sg-wgl', name: '韶关市文化广电旅游体育局', kind: 'bureau', aliases: ['市文广旅体局'], login: 'wgl' },
  { code: 'sg-sthj', name: '韶关市生态环境局', kind: 'bureau', aliases: ['市生态环境局'], login: 'sthj' },
  { code: 'sg-gxj', name: '韶关市工业和信息化局', kind: 'bureau', aliases: ['市工信局'], login: 'gxj' },
  { code: 'sg-swj', name: '韶关市商务局', kind: 'bureau', aliases: ['市商务局'], login: 'swj' },
  { code: 'sg-wjj', name: '韶关市卫生健康局', kind: 'bureau', aliases: ['市卫健局'], login: 'wjj' },
  { code: 'sg-ybj', name: '韶关市医疗保障局', kind: 'bureau', aliases: ['市医保局'], login: 'ybj' },
  { code: 'sg-rsj', name: '韶关市人力资源和社会保障局', kind: 'bureau', aliases: ['市人社局'], login: 'rsj' },
];

const county = (code: string, place: string, login: string, extra: string[] = []): DemoDepartment => ({
  code,
  name: `${place}人民政府`,
  kind: 'county',
  aliases: [`${place}政府`, place, ...extra],
  login,
});

/** The ten county-level governments a plan item fans out to (各县(市、区)政府). */
export const COUNTIES: DemoDepartment[] = [
  county('sg-wjq', '武江区', 'wjq'),
  county('sg-zjq', '浈江区', 'zjq'),
  county('sg-qjq', '曲江区', 'qjq'),
  county('sg-lcs', '乐昌市', 'lcs'),
  county('sg-nxs', '南雄市', 'nxs'),
  county('sg-rhx', '仁化县', 'rhx'),
  county('sg-sxx', '始兴县', 'sxx'),
  county('sg-wyx', '翁源县', 'wyx'),
  county('sg-xfx', '新丰县', 'xfx'),
  county('sg-ryx', '乳源瑶族自治县', 'ryx', ['乳源县']),
];
