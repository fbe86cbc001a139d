import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { COUNTY_FAN_OUT, isFanOutPhrase, splitUnits } from './owners.js';

describe('splitting a unit list', () => {
  it('cuts on 、，,；; but not inside parentheses', () => {
    expect(splitUnits('市政务服务数据管理局、各县(市、区)政府牵头')).toEqual(['市政务服务数据管理局', '各县(市、区)政府牵头']);
    expect(splitUnits('市政务服务数据管理局,市委网信办、市公安局牵头')).toEqual(['市政务服务数据管理局', '市委网信办', '市公安局牵头']);
    expect(splitUnits('市发改局牵头，市财政局；各县（市，区）人民政府;市公安局')).toEqual(['市发改局牵头', '市财政局', '各县（市，区）人民政府', '市公安局']);
    expect(splitUnits(' 、 ')).toEqual([]);
  });

  const name = fc.string({ unit: fc.constantFrom(...'市政务服务数据管理局公安财政农业农村委办中心'.split('')), minLength: 1, maxLength: 8 });
  const inner = fc.array(name, { minLength: 1, maxLength: 3 });
  const bracketed = fc.tuple(
    name,
    fc.option(fc.tuple(inner, fc.constantFrom('、', ',', '，', ';'), fc.constantFrom(['(', ')'], ['（', '）'])), { nil: undefined }),
    fc.option(name, { nil: undefined }),
  );
  const unit = bracketed.map(([head, group, tail]) => head + (group ? group[2][0] + group[0].join(group[1]) + group[2][1] : '') + (tail ?? ''));

  it('never cuts inside parentheses, whatever the separators', () => {
    fc.assert(
      fc.property(fc.array(unit, { minLength: 1, maxLength: 6 }), fc.constantFrom('、', '，', ',', '；', ';'), (units, separator) => {
        expect(splitUnits(units.join(separator))).toEqual(units);
      }),
      { numRuns: 300 },
    );
  });
});

describe('fan-out phrases', () => {
  it.each([
    '各县(市、区)政府',
    '各县（市、区）人民政府',
    '各县(市、区)',
    '各县（市，区）',
    '各区县',
    '各县区',
    '各县市区',
    '各县(市、区)政府牵头',
    '各县(区、市)负责',
    '各縣（市、區）政府',
    '各地',
    '各区',
    '各县',
    '各县区政府等',
  ])('%s fans out to the counties', (phrase) => {
    expect(isFanOutPhrase(phrase)).toBe(true);
  });

  it.each(['市政务服务数据管理局', '各地级以上市', '各部门', '各镇', '各区域中心', '南雄市人民政府', '县政府', '各地区部门'])('%s does not', (phrase) =>
    expect(isFanOutPhrase(phrase)).toBe(false),
  );

  it.each(['各街道', '各镇（街道）', '各乡镇(街道)', '各乡镇', '相关街道', '各街道办事处', '各街道负责'])(
    '%s fans out to the streets and towns below a district',
    (phrase) => expect(isFanOutPhrase(phrase)).toBe(true),
  );

  it.each(['街道办事处', '各街道社区', '相关街道办主任'])('%s does not fan out to the streets', (phrase) => expect(isFanOutPhrase(phrase)).toBe(false));

  it('is a pattern over folded text, without the role word', () => {
    expect(COUNTY_FAN_OUT.test('各县(市、区)政府')).toBe(true);
    expect(COUNTY_FAN_OUT.test('各地牵头')).toBe(false);
  });
});
