import { parseHashFormat } from './parse-hash-format';
import type { HashFormat } from './parsed-hash';
import { UnknownHashFormatError } from './unknown-hash-format-error';

const CASES: Array<[hash: string, format: HashFormat]> = [
  ['$2a$05$abcdefghijklmnopqrstuu3AktbQ0f4VWOn1WAh0Ewra5aYsCv/Am', 'bcrypt'],
  ['$2b$04$abcdefghijklmnopqrstuu3AktbQ0f4VWOn1WAh0Ewra5aYsCv/Am', 'bcrypt'],
  ['$2y$05$abcdefghijklmnopqrstuus.jsFlKko2xG/o2y5ScmWFDmCF.ba0K', 'bcrypt'],
  ['$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4', 'argon2id'],
  ['$argon2i$v=19$m=256,t=2,p=1$c29tZXNhbHQ$iekCn0Y3spW+sCcFanM2xBT63UP2sghkUoHLIUpWRS8', 'argon2i'],
  ['$pbkdf2-sha384$i=1000,l=32$TmFDbC1zYWx0LTE2Ynl0ZQ$KztChQIy+JxohAx3b6lC0GNJV1YmyGL9bTjQQ+rpOpI', 'pbkdf2'],
  ['$scrypt$ln=1024,r=8,p=1$c2NyeXB0LXNhbHQ=$WXxShbx3FnOuP4m5WE7d/k3xrmpg/s9vv3F0hf7Lc+E=', 'scrypt'],
  ['$firescrypt$ln=14,r=8,p=1$42xEC+ixf3L2lw==$AAAAAAAAAAA=$Bw==$AAAAAAAAAAA=', 'firescrypt'],
  ['$md5$PLTnMmMfR+brlh80VUt83g==', 'md5'],
  ['$md5$pf=e1NBTFR9e1BBU1NXT1JEfQ==$cGVwcGVyIQ==$cPVd2D89xlNGAcyNCEEI5A==', 'md5'],
  ['$sha1$pf=e1BBU1NXT1JEfS57U0FMVH0=$cGVwcGVyIQ==$f8xaLi26JaA3plMyLNljbGSR1yg=', 'sha'],
  ['{SSHA512}HYhJNHevSw0SrrIr938SDqM0xmYCIigy/CopnKJIekY6c0D89M1sEGydpS0YqCPtAp7SPvy1BmmoSod8lPP2eQECc2FsdHl5', 'ssha'],
  ['$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/', 'md5-crypt'],
  ['$md5-crypt$saltsalt$qjXMvbEw8oaL.CzflDtaK/', 'md5-crypt'],
  ['$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5', 'sha256-crypt'],
  ['$sha256-crypt$rounds=5000$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5', 'sha256-crypt'],
  ['$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1', 'sha512-crypt'],
];

describe('parseHashFormat', () => {
  it.each(CASES)('names %s as %s', (hash, format) => {
    expect(parseHashFormat(hash)).toBe(format);
  });

  it.each(['', 'plaintext', '$unknown$abc', '$2x$05$abcdefghijklmnopqrstuu3AktbQ0f4VWOn1WAh0Ewra5aYsCv/Am', '$argon2d$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4', '$hmac-sha1$aGk=$aGk=', '{SHA}aGk='])(
    'throws UnknownHashFormatError with the documented message for %j',
    (hash) => {
      expect(() => parseHashFormat(hash)).toThrow(UnknownHashFormatError);
      expect(() => parseHashFormat(hash)).toThrow('The imported password does not match any known hash format.');
    },
  );
});
