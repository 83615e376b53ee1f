import { shaCrypt } from './sha-crypt';

type Vector = [password: string, salt: string, rounds: number | undefined, expected: string];

// Default rounds: generated on this machine with `openssl passwd -5|-6 -salt Xy7./abcdefghijklmnop <password>`
// (OpenSSL 3.0.19, which cuts the salt to 16 characters) and the "Hello world!" vectors of Drepper's spec.
// rounds=: the test vectors of Drepper's specification ("Unix crypt using SHA-256 and SHA-512"), re-checked on
// this machine with python3's crypt module (glibc/libxcrypt).
const SHA256: Vector[] = [
  ['Hello world!', 'saltstring', undefined, '$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5'],
  ['password', 'Xy7./abcdefghijk', undefined, '$5$Xy7./abcdefghijk$0p0Cu/iRYbwA38WnA6Pn0lO42LN8Ncg6of7R7e243./'],
  [
    'correct horse battery staple, and then some more words to pass 64 bytes!!',
    'Xy7./abcdefghijk',
    undefined,
    '$5$Xy7./abcdefghijk$PO.sE7oU0zc7lf7Avx5EzmUSGvpDLVeraTAFgAQkS5.',
  ],
  ['pässwörd', 'Xy7./abcdefghijk', undefined, '$5$Xy7./abcdefghijk$MxvpWZIwz2s39bcVGgVhrcjWcyxvL36JRb/6i1l28wA'],
  ['Hello world!', 'saltstringsaltstring', 10000, '$5$rounds=10000$saltstringsaltst$3xv.VbSHBb41AL9AvLeujZkZRBAwqFMz2.opqey6IcA'],
  ['This is just a test', 'toolongsaltstring', 5000, '$5$rounds=5000$toolongsaltstrin$Un/5jzAHMgOGZ5.mWJpuVolil07guHPvOW8mGRcvxa5'],
  [
    'a very much longer text to encrypt.  This one even stretches over morethan one line.',
    'anotherlongsaltstring',
    1400,
    '$5$rounds=1400$anotherlongsalts$Rx.j8H.h8HjEDGomFU8bDkXm3XIUnzyxf12oP84Bnq1',
  ],
  ['we have a short salt string but not a short password', 'short', 77777, '$5$rounds=77777$short$JiO1O3ZpDAxGJeaDIuqCoEFysAe1mZNJRs3pw0KQRd/'],
  ['a short string', 'asaltof16chars..', 123456, '$5$rounds=123456$asaltof16chars..$gP3VQ/6X7UUEW3HkBn2w1/Ptq2jxPyzV/cZKmF/wJvD'],
  ['the minimum number is still observed', 'roundstoolow', 10, '$5$rounds=1000$roundstoolow$yfvwcWrQ8l/K0DAWyuPMDNHpIVlTQebY9l/gL972bIC'],
];

const SHA512: Vector[] = [
  [
    'Hello world!',
    'saltstring',
    undefined,
    '$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1',
  ],
  [
    'password',
    'Xy7./abcdefghijk',
    undefined,
    '$6$Xy7./abcdefghijk$7pTAK0T9mB6.Ggn.Fgfwzh4A36fB2M0.3X79tTq0XVgZvuj3/Hy5wK6uPneENhzWSGw9GfCZhZKCPZ8I3wH/Q.',
  ],
  [
    'correct horse battery staple, and then some more words to pass 64 bytes!!',
    'Xy7./abcdefghijk',
    undefined,
    '$6$Xy7./abcdefghijk$EP14dZM5.2n9MxvW38Ad3XDnmSj.aDnorZ4zgJOnS4BCkb9UwkmmQodRKn8pBMtDgDZ2XKf0GcIconxnw8HEe1',
  ],
  [
    'pässwörd',
    'Xy7./abcdefghijk',
    undefined,
    '$6$Xy7./abcdefghijk$lqBppfdE0mqvOZZAxgy0q/HtbMalzIs5i5wUb0gZQ4Jtc7gCn0Rx41CfqvKhP/WLEnqVqV6yuACG7IwG/fzTN.',
  ],
  [
    'Hello world!',
    'saltstringsaltstring',
    10000,
    '$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.',
  ],
  [
    'This is just a test',
    'toolongsaltstring',
    5000,
    '$6$rounds=5000$toolongsaltstrin$lQ8jolhgVRVhY4b5pZKaysCLi0QBxGoNeKQzQ3glMhwllF7oGDZxUhx1yxdYcz/e1JSbq3y6JMxxl8audkUEm0',
  ],
  [
    'a very much longer text to encrypt.  This one even stretches over morethan one line.',
    'anotherlongsaltstring',
    1400,
    '$6$rounds=1400$anotherlongsalts$POfYwTEok97VWcjxIiSOjiykti.o/pQs.wPvMxQ6Fm7I6IoYN3CmLs66x9t0oSwbtEW7o7UmJEiDwGqd8p4ur1',
  ],
  [
    'we have a short salt string but not a short password',
    'short',
    77777,
    '$6$rounds=77777$short$WuQyW2YR.hBNpjjRhpYD/ifIw05xdfeEyQoMxIXbkvr0gge1a1x3yRULJ5CCaUeOxFmtlcGZelFl5CxtgfiAc0',
  ],
  [
    'a short string',
    'asaltof16chars..',
    123456,
    '$6$rounds=123456$asaltof16chars..$BtCwjqMJGx5hrJhZywWvt0RLE8uZ4oPwcelCjmw2kSYu.Ec6ycULevoBK25fs2xXgMNrCzIMVcgEJAstJeonj1',
  ],
];

describe('shaCrypt', () => {
  it.each(SHA256)('sha256: reproduces the vector for %j (salt %j, rounds %p)', async (password, salt, rounds, expected) => {
    await expect(shaCrypt('sha256', Buffer.from(password, 'utf8'), salt, rounds)).resolves.toBe(expected);
  });

  it.each(SHA512)('sha512: reproduces the vector for %j (salt %j, rounds %p)', async (password, salt, rounds, expected) => {
    await expect(shaCrypt('sha512', Buffer.from(password, 'utf8'), salt, rounds)).resolves.toBe(expected);
  });

  it('gives a different hash for a different password', async () => {
    await expect(shaCrypt('sha256', Buffer.from('Hello world?'), 'saltstring')).resolves.not.toBe(SHA256[0][3]);
    await expect(shaCrypt('sha512', Buffer.from('Hello world?'), 'saltstring')).resolves.not.toBe(SHA512[0][3]);
  });

  it('lets other callbacks run while the rounds are computed', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    try {
      await shaCrypt('sha512', Buffer.from('x'), 'salt', 20000);
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(0);
  });
});
