import { md5Crypt } from './md5-crypt';

// Generated on this machine with `openssl passwd -1 -salt <salt> <password>` (OpenSSL 3.0.19); openssl cuts the
// salt to 8 characters, as crypt(3) does.
const VECTORS: Array<[password: string, salt: string, expected: string]> = [
  ['password', 'saltsalt', '$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/'],
  ['password', 'Xy7./abc', '$1$Xy7./abc$VtIcjfWqdg9/NhL4yz/Vh/'],
  ['correct horse battery staple, and then some more words to pass 64 bytes!!', 'Xy7./abc', '$1$Xy7./abc$PdLmglBrpmqZAGrEwIX1V.'],
  ['pässwörd', 'Xy7./abc', '$1$Xy7./abc$BD3vZysTQeUPhANeN4qje/'],
  ['test', '', '$1$$whuMjZj.HMFoaTaZRRtkO0'],
];

describe('md5Crypt', () => {
  it.each(VECTORS)('reproduces openssl passwd -1 for %j with salt %j', (password, salt, expected) => {
    expect(md5Crypt(Buffer.from(password, 'utf8'), salt)).toBe(expected);
  });

  it('cuts the salt to 8 characters as crypt(3) does', () => {
    expect(md5Crypt(Buffer.from('password'), 'Xy7./abcdefghijklmnop')).toBe('$1$Xy7./abc$VtIcjfWqdg9/NhL4yz/Vh/');
  });

  it('gives a different hash for a different password', () => {
    expect(md5Crypt(Buffer.from('passwore'), 'saltsalt')).not.toBe('$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/');
  });
});
