import { PageTokenError, decodePageToken, encodePageToken } from './page-token';

const ID = '0b6f2c1e-8f1d-4c3a-9e2b-5d7a1c9e0f42';
const AT = '2026-03-01T10:20:30.456Z';

describe('page tokens', () => {
  it('round-trips a key and encodes the start as the empty key', () => {
    const token = encodePageToken([AT, ID]);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodePageToken(token, ['time', 'uuid'])).toEqual([AT, ID]);
    expect(decodePageToken(encodePageToken([]), ['time', 'uuid'])).toBeUndefined();
    expect(decodePageToken(encodePageToken(['my client']), ['text'])).toEqual(['my client']);
  });

  it.each([
    ['not base64url', 'a+b/c='],
    ['not JSON', Buffer.from('{oops').toString('base64url')],
    ['a JSON array', Buffer.from('[1]').toString('base64url')],
    ['another version', Buffer.from(JSON.stringify({ v: 2, k: [AT, ID] })).toString('base64url')],
    ["Hydra's old offset token", Buffer.from(JSON.stringify({ page: '40', v: 1 })).toString('base64url')],
    ['too few parts', encodePageToken([AT])],
    ['too many parts', encodePageToken([AT, ID, ID])],
    ['a number part', Buffer.from(JSON.stringify({ v: 1, k: [AT, 7] })).toString('base64url')],
    ['a malformed UUID', encodePageToken([AT, 'not-a-uuid'])],
    ['a timestamp without milliseconds', encodePageToken(['2026-03-01T10:20:30Z', ID])],
    ['an impossible date', encodePageToken(['2026-02-30T10:20:30.456Z', ID])],
    ['an SQL fragment as time', encodePageToken(["1' OR '1'='1", ID])],
    ['an empty token text part', encodePageToken([''])],
    ['an overlong token', 'A'.repeat(4096)],
  ])('refuses %s', (_what, token) => {
    const parts = token === encodePageToken(['']) ? (['text'] as const) : (['time', 'uuid'] as const);
    expect(() => decodePageToken(token, parts)).toThrow(PageTokenError);
  });

  it('encodes only the position: the same key gives the same token in every realm', () => {
    expect(encodePageToken([AT, ID])).toBe(encodePageToken([AT, ID]));
    expect(Buffer.from(encodePageToken([AT, ID]), 'base64url').toString('utf8')).toBe(JSON.stringify({ v: 1, k: [AT, ID] }));
  });
});
