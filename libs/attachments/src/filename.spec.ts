import { describe, expect, it } from '@jest/globals';
import { cleanFilename, contentDisposition } from './filename.js';

describe('cleanFilename', () => {
  it('keeps the last part of a path and drops control characters', () => {
    expect(cleanFilename('C:\\Users\\王\\桌面\\整改报告.pdf')).toBe('整改报告.pdf');
    expect(cleanFilename('../../etc/passwd')).toBe('passwd');
    expect(cleanFilename('回复函\r\n.pdf')).toBe('回复函.pdf');
  });

  it('names a file that has no name left 附件', () => {
    expect(cleanFilename('')).toBe('附件');
    expect(cleanFilename('a/..')).toBe('附件');
  });

  it('shortens a very long name to 200 characters, keeping its extension', () => {
    const long = cleanFilename(`${'很'.repeat(300)}.docx`);
    expect(long).toHaveLength(200);
    expect(long.endsWith('很.docx')).toBe(true);
  });
});

describe('contentDisposition', () => {
  it('names a Chinese file exactly in filename* and in ASCII in filename', () => {
    const header = contentDisposition('关于整改情况的报告 (终稿).pdf');
    const name = '%E5%85%B3%E4%BA%8E%E6%95%B4%E6%94%B9%E6%83%85%E5%86%B5%E7%9A%84%E6%8A%A5%E5%91%8A';
    expect(header).toBe(`attachment; filename="_________ (__).pdf"; filename*=UTF-8''${name}%20%28%E7%BB%88%E7%A8%BF%29.pdf`);
    expect(decodeURIComponent(header.split("UTF-8''")[1]!)).toBe('关于整改情况的报告 (终稿).pdf');
  });

  it('cannot be broken out of by quotes or backslashes in the name', () => {
    expect(contentDisposition('a"b\\c.txt')).toBe(`attachment; filename="a_b_c.txt"; filename*=UTF-8''a%22b%5Cc.txt`);
  });
});
