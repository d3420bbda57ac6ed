import { nameSortKey, searchTokens } from './search-tokens';

describe('searchTokens', () => {
  it('splits name and description into distinct lower-case words', () => {
    expect(searchTokens('Trail Runner 2', 'A light trail shoe; 2 colours.')).toEqual([
      'trail',
      'runner',
      '2',
      'a',
      'light',
      'shoe',
      'colours',
    ]);
  });

  it('folds accents and case, and splits on punctuation', () => {
    expect(searchTokens('Crème BRÛLÉE torch, USB-C')).toEqual([
      'creme',
      'brulee',
      'torch',
      'usb',
      'c',
    ]);
  });

  it('keeps letters of any script and drops symbols', () => {
    expect(searchTokens('Ñandú — 東京 ★ 4K')).toEqual(['nandu', '東京', '4k']);
  });

  it('gives nothing for text without words', () => {
    expect(searchTokens('  ?! -- ', '')).toEqual([]);
  });

  it('truncates very long words the same way for products and queries', () => {
    const long = 'x'.repeat(100);
    expect(searchTokens(long)).toEqual(['x'.repeat(64)]);
  });
});

describe('nameSortKey', () => {
  it('ignores case and accents', () => {
    expect(nameSortKey('Éclair')).toBe('eclair');
    expect(nameSortKey('apple') < nameSortKey('Banana')).toBe(true);
  });
});
