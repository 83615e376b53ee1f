import { MAX_BODY_DEPTH, formNameDepthExceeds, jsonDepthExceeds } from './json-depth';

const nested = (n: number, open = '{"a":', close = '}'): string => open.repeat(n) + '1' + close.repeat(n);

describe('jsonDepthExceeds', () => {
  it('allows up to the limit and refuses one level more, for objects and arrays', () => {
    expect(jsonDepthExceeds(nested(MAX_BODY_DEPTH))).toBe(false);
    expect(jsonDepthExceeds(nested(MAX_BODY_DEPTH + 1))).toBe(true);
    expect(jsonDepthExceeds(nested(MAX_BODY_DEPTH, '[', ']'))).toBe(false);
    expect(jsonDepthExceeds(nested(MAX_BODY_DEPTH + 1, '[', ']'))).toBe(true);
    expect(jsonDepthExceeds(nested(10_000))).toBe(true);
  });

  it('counts depth, not the number of containers', () => {
    expect(jsonDepthExceeds(`[${'{"a":[1]},'.repeat(10_000)}1]`, 3)).toBe(false);
    expect(jsonDepthExceeds(`[${'{"a":[1]},'.repeat(10_000)}1]`, 2)).toBe(true);
  });

  it('ignores brackets inside strings, also after escaped quotes and backslashes', () => {
    expect(jsonDepthExceeds(JSON.stringify({ a: '['.repeat(1000) }), 1)).toBe(false);
    expect(jsonDepthExceeds(JSON.stringify({ a: '\\"[[[[', b: '\\', c: '{{{{' }), 1)).toBe(false);
    expect(jsonDepthExceeds(JSON.stringify({ a: '\\', b: [[[1]]] }), 3)).toBe(true);
  });

  it('scans UTF-8 bytes and strings alike', () => {
    const text = JSON.stringify({ 'ü€𝄞': [['[ü€𝄞']] });
    expect(jsonDepthExceeds(Buffer.from(text), 3)).toBe(false);
    expect(jsonDepthExceeds(Buffer.from(text), 2)).toBe(true);
    expect(jsonDepthExceeds(text, 2)).toBe(true);
  });
});

describe('formNameDepthExceeds', () => {
  it('counts dotted parts', () => {
    expect(formNameDepthExceeds('traits.name.first', 3)).toBe(false);
    expect(formNameDepthExceeds('traits.name.first', 2)).toBe(true);
    expect(formNameDepthExceeds(Array(MAX_BODY_DEPTH).fill('a').join('.'))).toBe(false);
    expect(formNameDepthExceeds(Array(MAX_BODY_DEPTH + 1).fill('a').join('.'))).toBe(true);
  });
});
