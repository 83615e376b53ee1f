import bcryptjs from 'bcryptjs';
import { parseHash } from './parse-hash';
import { verifyParsedHash } from './verify-parsed-hash';

const PW = 'correct horse';
const FIREBASE_HASH = 'lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==';
const FIREBASE_SIGNER = 'jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==';

/**
 * [case, stored hash, the password it was made from]. Sources, none of them this library:
 * - bcrypt $2y$/$2a$: python3 crypt (libxcrypt) on this machine.
 * - argon2: the reference implementation's test vectors (phc-winner-argon2 src/test.c), password "password".
 * - pbkdf2, scrypt, md5, sha, ssha: python3 hashlib on this machine (sha224/sha384 with hashlib.sha3_224/sha3_384).
 * - firescrypt: Firebase's published example (github.com/firebase/scrypt).
 * - crypt formats: openssl passwd -1/-5/-6 and Drepper's spec vectors (see md5-crypt.test.ts, sha-crypt.test.ts).
 */
const VECTORS: Array<[name: string, hash: string, password: string]> = [
  ['bcrypt $2y$', '$2y$05$abcdefghijklmnopqrstuus.jsFlKko2xG/o2y5ScmWFDmCF.ba0K', 'tessera-2y'],
  ['bcrypt $2a$', '$2a$05$abcdefghijklmnopqrstuu3AktbQ0f4VWOn1WAh0Ewra5aYsCv/Am', 'tessera-2a'],
  ['argon2id', '$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4', 'password'],
  ['argon2i', '$argon2i$v=19$m=256,t=2,p=1$c29tZXNhbHQ$iekCn0Y3spW+sCcFanM2xBT63UP2sghkUoHLIUpWRS8', 'password'],
  ['pbkdf2-sha1', '$pbkdf2-sha1$i=1000,l=32$TmFDbC1zYWx0LTE2Ynl0ZQ$mZ1fxaER8ve58Rl3fqLFRlJBSIV+GAQX6MMyCh9yTrw', PW],
  ['pbkdf2-sha224 (SHA3-224)', '$pbkdf2-sha224$i=1000,l=32$TmFDbC1zYWx0LTE2Ynl0ZQ$+PZCY8jig8CjFkNgvD39jn39Als+nO0sr1KIPcN7zdY', PW],
  ['pbkdf2-sha256', '$pbkdf2-sha256$i=1000,l=32$TmFDbC1zYWx0LTE2Ynl0ZQ$P9ie5W1CBV7fO0gFVTJFaCJVtGVq/TRjtFlDXxH4lso', PW],
  ['pbkdf2-sha256 padded', '$pbkdf2-sha256$i=1000,l=32$TmFDbC1zYWx0LTE2Ynl0ZQ==$P9ie5W1CBV7fO0gFVTJFaCJVtGVq/TRjtFlDXxH4lso=', PW],
  ['pbkdf2-sha384 (SHA3-384)', '$pbkdf2-sha384$i=1000,l=32$TmFDbC1zYWx0LTE2Ynl0ZQ$KztChQIy+JxohAx3b6lC0GNJV1YmyGL9bTjQQ+rpOpI', PW],
  ['pbkdf2-sha512', '$pbkdf2-sha512$i=1000,l=32$TmFDbC1zYWx0LTE2Ynl0ZQ$Ey19/jxe2FLQf/RKtEFr6sqkjKNN7ElVcyhHV4aKS0w', PW],
  ['scrypt', '$scrypt$ln=1024,r=8,p=1$c2NyeXB0LXNhbHQ=$WXxShbx3FnOuP4m5WE7d/k3xrmpg/s9vv3F0hf7Lc+E=', PW],
  ['firescrypt', `$firescrypt$ln=14,r=8,p=1$42xEC+ixf3L2lw==$${FIREBASE_HASH}$Bw==$${FIREBASE_SIGNER}`, 'user1password'],
  ['md5', '$md5$PLTnMmMfR+brlh80VUt83g==', PW],
  ['md5 salted', '$md5$pf=e1NBTFR9e1BBU1NXT1JEfQ==$cGVwcGVyIQ==$cPVd2D89xlNGAcyNCEEI5A==', PW],
  ['sha1 salted', '$sha1$pf=e1BBU1NXT1JEfS57U0FMVH0=$cGVwcGVyIQ==$f8xaLi26JaA3plMyLNljbGSR1yg=', PW],
  ['sha256 salted', '$sha256$pf=e1BBU1NXT1JEfS57U0FMVH0=$cGVwcGVyIQ==$qBc0ytTKfV6qfa526+i3FNTHyG6HgXKM2SHuulws9M4=', PW],
  [
    'sha512 salted',
    '$sha512$pf=e1BBU1NXT1JEfS57U0FMVH0=$cGVwcGVyIQ==$BXxzbLWFCVjr8Zu5vRkDc2lTjbmD8R1sLhkONO0sYyJTMU6vWMmcSneTnaaQYE4GqEE38LMlJ5IV4W3oC205kw==',
    PW,
  ],
  ['ssha', '{SSHA}L4d0tu/MJCdiVOx3TjD/sx7tKv4BAnNhbHR5eQ==', PW],
  ['ssha256', '{SSHA256}uEMawrooO8EQsG8YH3+AOe9VJv/QSSGPp+8ENB/Syv8BAnNhbHR5eQ==', PW],
  ['ssha512', '{SSHA512}HYhJNHevSw0SrrIr938SDqM0xmYCIigy/CopnKJIekY6c0D89M1sEGydpS0YqCPtAp7SPvy1BmmoSod8lPP2eQECc2FsdHl5', PW],
  ['md5-crypt $1$', '$1$Xy7./abc$BD3vZysTQeUPhANeN4qje/', 'pässwörd'],
  ['md5-crypt $md5-crypt$', '$md5-crypt$saltsalt$qjXMvbEw8oaL.CzflDtaK/', 'password'],
  ['sha256-crypt $5$', '$5$Xy7./abcdefghijk$0p0Cu/iRYbwA38WnA6Pn0lO42LN8Ncg6of7R7e243./', 'password'],
  ['sha256-crypt $sha256-crypt$ rounds', '$sha256-crypt$rounds=10000$saltstringsaltst$3xv.VbSHBb41AL9AvLeujZkZRBAwqFMz2.opqey6IcA', 'Hello world!'],
  [
    'sha512-crypt $6$ rounds',
    '$6$rounds=1400$anotherlongsalts$POfYwTEok97VWcjxIiSOjiykti.o/pQs.wPvMxQ6Fm7I6IoYN3CmLs66x9t0oSwbtEW7o7UmJEiDwGqd8p4ur1',
    'a very much longer text to encrypt.  This one even stretches over morethan one line.',
  ],
  [
    'sha512-crypt $sha512-crypt$',
    '$sha512-crypt$Xy7./abcdefghijk$7pTAK0T9mB6.Ggn.Fgfwzh4A36fB2M0.3X79tTq0XVgZvuj3/Hy5wK6uPneENhzWSGw9GfCZhZKCPZ8I3wH/Q.',
    'password',
  ],
];

const verify = (password: string, hash: string) => verifyParsedHash(Buffer.from(password, 'utf8'), parseHash(hash));

describe('verifyParsedHash', () => {
  it.each(VECTORS)('%s: accepts the right password', async (_name, hash, password) => {
    await expect(verify(password, hash)).resolves.toBe(true);
  });

  it.each(VECTORS)('%s: rejects a wrong password', async (_name, hash, password) => {
    await expect(verify(`${password}x`, hash)).resolves.toBe(false);
    await expect(verify('', hash)).resolves.toBe(false);
  });

  it('substitutes {SALT} and {PASSWORD} once each, left to right', async () => {
    // sha256("{PASSWORD}" + "pw") where the salt itself is the text "{PASSWORD}": a second substitution pass
    // would hash "pwpw" instead. Made with python3 hashlib.
    const hash = '$sha256$pf=e1NBTFR9e1BBU1NXT1JEfQ==$e1BBU1NXT1JEfQ==$GqV2I2qmoUhqLM7pukOoq8VfIdIuyIyFwwL8pWI966k=';
    await expect(verify('pw', hash)).resolves.toBe(true);
  });

  it('answers false, without hashing, for a password over 72 bytes against bcrypt', async () => {
    // bcrypt itself would read only the first 72 bytes of the longer password, and accept it.
    const hash = bcryptjs.hashSync('a'.repeat(72), 4);
    await expect(verify('a'.repeat(72), hash)).resolves.toBe(true);
    await expect(verify(`${'a'.repeat(72)}b`, hash)).resolves.toBe(false);
  });
});
