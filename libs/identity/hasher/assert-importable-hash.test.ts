import { assertImportableHash } from './assert-importable-hash';
import { DEFAULT_HASH_LIMITS } from './hash-limits';
import { UnknownHashFormatError } from './unknown-hash-format-error';

const B64_32 = Buffer.alloc(32, 7).toString('base64');
const SALT = 'TmFDbC1zYWx0LTE2Ynl0ZQ';
const BCRYPT_BODY = 'abcdefghijklmnopqrstuu3AktbQ0f4VWOn1WAh0Ewra5aYsCv/Am';
const SHA256_CRYPT = '5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5';

/** Each starts with a known prefix, so only full validation can catch it. */
const MALFORMED: Array<[why: string, hash: string]> = [
  ['bcrypt body too short', `$2b$05$${BCRYPT_BODY.slice(1)}`],
  ['bcrypt cost below 4', `$2b$03$${BCRYPT_BODY}`],
  ['bcrypt cost over the cap', `$2b$20$${BCRYPT_BODY}`],
  ['bcrypt bad characters', `$2b$05$${BCRYPT_BODY.slice(1)}!`],
  ['argon2 wrong version', `$argon2id$v=16$m=256,t=2,p=1$c29tZXNhbHQ$${B64_32}`],
  ['argon2 missing version', `$argon2id$m=256,t=2,p=1$c29tZXNhbHQ$${B64_32}`],
  ['argon2 zero iterations', `$argon2id$v=19$m=256,t=0,p=1$c29tZXNhbHQ$${B64_32}`],
  ['argon2 memory over 1 GiB', `$argon2id$v=19$m=2097152,t=1,p=1$c29tZXNhbHQ$${B64_32}`],
  ['argon2 memory below 8 x p', `$argon2id$v=19$m=8,t=1,p=4$c29tZXNhbHQ$${B64_32}`],
  ['argon2 unknown parameter', `$argon2id$v=19$m=256,t=2,x=1$c29tZXNhbHQ$${B64_32}`],
  ['argon2 repeated parameter', `$argon2id$v=19$m=256,t=2,p=1,p=1$c29tZXNhbHQ$${B64_32}`],
  ['scrypt parameters out of order', `$scrypt$r=8,ln=1024,p=1$c2FsdA==$${B64_32}`],
  ['argon2 salt under 8 bytes', `$argon2id$v=19$m=256,t=2,p=1$c2FsdA$${B64_32}`],
  ['argon2 bad base64 hash', `$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$not*base64`],
  ['argon2 empty hash', '$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$'],
  ['pbkdf2 unknown digest', `$pbkdf2-md5$i=1000,l=32$${SALT}$${B64_32}`],
  ['pbkdf2 zero iterations', `$pbkdf2-sha256$i=0,l=32$${SALT}$${B64_32}`],
  ['pbkdf2 absurd iterations', `$pbkdf2-sha256$i=100000000,l=32$${SALT}$${B64_32}`],
  ['pbkdf2 l not matching the hash', `$pbkdf2-sha256$i=1000,l=64$${SALT}$${B64_32}`],
  ['pbkdf2 negative iterations', `$pbkdf2-sha256$i=-5,l=32$${SALT}$${B64_32}`],
  ['pbkdf2 hash of 4 bytes', `$pbkdf2-sha256$i=1000,l=4$${SALT}$AAAAAA`],
  ['pbkdf2 missing field', `$pbkdf2-sha256$i=1000,l=32$${B64_32}`],
  ['pbkdf2 URL-safe base64', `$pbkdf2-sha256$i=1000,l=32$${SALT}$${Buffer.alloc(32, 0xfb).toString('base64url')}`],
  ['scrypt N not a power of two', `$scrypt$ln=1000,r=8,p=1$c2FsdA==$${B64_32}`],
  ['scrypt N over the memory cap', `$scrypt$ln=4194304,r=8,p=1$c2FsdA==$${B64_32}`],
  ['scrypt p over the cap', `$scrypt$ln=1024,r=8,p=64$c2FsdA==$${B64_32}`],
  ['scrypt r zero', `$scrypt$ln=1024,r=0,p=1$c2FsdA==$${B64_32}`],
  ['firescrypt memcost over the cap', `$firescrypt$ln=25,r=8,p=1$c2FsdA==$${B64_32}$Bw==$${B64_32}`],
  ['firescrypt hash and signer key lengths differ', `$firescrypt$ln=14,r=8,p=1$c2FsdA==$${B64_32}$Bw==$AAAAAAAAAAA=`],
  ['firescrypt missing signer key', `$firescrypt$ln=14,r=8,p=1$c2FsdA==$${B64_32}$Bw==`],
  ['md5 hash of the wrong size', `$md5$${B64_32}`],
  ['md5 pattern without {PASSWORD}', '$md5$pf=e1NBTFR9$cGVwcGVyIQ==$cPVd2D89xlNGAcyNCEEI5A=='],
  ['md5 four fields', '$md5$pf=e1NBTFR9e1BBU1NXT1JEfQ==$cPVd2D89xlNGAcyNCEEI5A=='],
  ['sha1 without salt fields', '$sha1$f8xaLi26JaA3plMyLNljbGSR1yg='],
  ['sha256 hash of sha1 size', '$sha256$pf=e1BBU1NXT1JEfS57U0FMVH0=$cGVwcGVyIQ==$f8xaLi26JaA3plMyLNljbGSR1yg='],
  ['sha1 pattern not pf=', '$sha1$xx=e1BBU1NXT1JEfS57U0FMVH0=$cGVwcGVyIQ==$f8xaLi26JaA3plMyLNljbGSR1yg='],
  ['ssha without salt', `{SSHA}${Buffer.alloc(20).toString('base64')}`],
  ['ssha bad base64', '{SSHA}!!!!'],
  ['md5-crypt hash too short', '$1$saltsalt$qjXMvbEw8oaL.CzflDtaK'],
  ['md5-crypt salt over 8 characters', '$1$saltsaltX$qjXMvbEw8oaL.CzflDtaK/'],
  ['sha256-crypt rounds below 1000', `$5$rounds=10$roundstoolow$${SHA256_CRYPT}`],
  ['sha256-crypt rounds over the cap', `$5$rounds=999999999$saltstring$${SHA256_CRYPT}`],
  ['sha256-crypt garbage before the salt', `$5$rondos=5000$saltstring$${SHA256_CRYPT}`],
  ['sha512-crypt with a sha256-crypt hash length', `$6$saltstring$${SHA256_CRYPT}`],
  ['sha512-crypt prefixed, too many fields', `$sha512-crypt$a$b$c$${SHA256_CRYPT}`],
  ['longer than 4096 characters', `$md5$${'A'.repeat(5000)}`],
];

describe('assertImportableHash', () => {
  it.each(MALFORMED)('refuses %s', (_why, hash) => {
    expect(() => assertImportableHash(hash)).toThrow(UnknownHashFormatError);
  });

  it('accepts a well-formed hash of each family', () => {
    expect(() => assertImportableHash(`$pbkdf2-sha256$i=1000,l=32$${SALT}$${B64_32}`)).not.toThrow();
    expect(() => assertImportableHash(`$scrypt$ln=16384,r=8,p=1$c2FsdA==$${B64_32}`)).not.toThrow();
    expect(() => assertImportableHash(`$5$rounds=1000$salt$${SHA256_CRYPT}`)).not.toThrow();
    expect(() => assertImportableHash(`$2b$16$${BCRYPT_BODY}`)).not.toThrow();
  });

  it('applies the limits it is given instead of the defaults', () => {
    const hash = `$2b$12$${BCRYPT_BODY}`;
    expect(() => assertImportableHash(hash)).not.toThrow();
    expect(() => assertImportableHash(hash, { ...DEFAULT_HASH_LIMITS, bcryptMaxCost: 10 })).toThrow(UnknownHashFormatError);
  });
});
