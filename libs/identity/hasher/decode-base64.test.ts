import { decodeBase64 } from './decode-base64';

describe('decodeBase64', () => {
  it('decodes standard base64 with or without padding', () => {
    expect(decodeBase64('aGk=')?.toString()).toBe('hi');
    expect(decodeBase64('aGk')?.toString()).toBe('hi');
    expect(decodeBase64('+/8=')).toEqual(Buffer.from([0xfb, 0xff]));
    expect(decodeBase64('')).toEqual(Buffer.alloc(0));
  });

  it('refuses what Buffer.from(s, "base64") would silently accept', () => {
    expect(decodeBase64('aGk*')).toBeUndefined(); // invalid character
    expect(decodeBase64('-_8')).toBeUndefined(); // URL-safe alphabet
    expect(decodeBase64('aG k=')).toBeUndefined(); // whitespace
    expect(decodeBase64('aGk==')).toBeUndefined(); // too much padding
    expect(decodeBase64('a')).toBeUndefined(); // impossible length
    expect(decodeBase64('aGl=')).toBeUndefined(); // non-zero unused bits (non-canonical)
  });
});
