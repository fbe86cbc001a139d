import { describe, expect, it } from '@jest/globals';
import { nameCandidates, SHORT_FORMS } from './names.js';

describe('name candidates', () => {
  it('starts with the name as written', () => {
    expect(nameCandidates('市公安局')).toEqual(['市公安局']);
  });

  it('adds the parentheses in the other width', () => {
    expect(nameCandidates('市委机要和保密局(市密码管理局)')).toEqual(['市委机要和保密局(市密码管理局)', '市委机要和保密局（市密码管理局）']);
    expect(nameCandidates('南雄市人民政府（办公室）')).toEqual(['南雄市人民政府（办公室）', '南雄市人民政府(办公室)']);
  });

  it('expands short forms, keeping the prefix', () => {
    expect(nameCandidates('市发改局')).toEqual(['市发改局', '市发展和改革局', '市发展改革局']);
    expect(nameCandidates('发改局')).toEqual(['发改局', '发展和改革局', '发展改革局']);
    expect(nameCandidates('市住建管理局')).toEqual(['市住建管理局', '市住房和城乡建设管理局', '市住房和城乡建设局']);
    expect(nameCandidates('市文广旅体局')).toEqual(['市文广旅体局', '市文化广电旅游体育局']);
    expect(nameCandidates('市市场监管局')).toEqual(['市市场监管局', '市市场监督管理局']);
    expect(nameCandidates('市委政法委')).toEqual(['市委政法委', '市委政法委员会']);
  });

  it.each(Object.entries(SHORT_FORMS))('%s expands to its full names, with and without 市', (short, fulls) => {
    expect(nameCandidates(short)).toEqual([short, ...fulls]);
    expect(nameCandidates(`市${short}`)).toEqual([`市${short}`, ...fulls.map((f) => `市${f}`)]);
  });

  it('names each candidate once', () => {
    const all = nameCandidates(' 市卫健局 ');
    expect(all).toEqual(['市卫健局', '市卫生健康局']);
  });
});
