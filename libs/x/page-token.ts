import type { KeyPart } from './keyset';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const MAX_TOKEN_LENGTH = 2048;
const VERSION = 1;

/** A page token that is not one this server wrote for this list. */
export class PageTokenError extends Error {
  constructor() {
    super('The page_token is invalid.');
    this.name = 'PageTokenError';
  }
}

/**
 * Encodes a list position as an opaque page token: base64url (no padding) of `{"v":1,"k":[...]}`. The
 * token holds only the position, never a realm or a filter: lists are realm-scoped by their queries, so
 * a token of realm `a` used on realm `b` only names a position in `b`. `[]` is the start (the `first` link).
 */
export function encodePageToken(key: readonly string[]): string {
  return Buffer.from(JSON.stringify({ v: VERSION, k: key }), 'utf8').toString('base64url');
}

/**
 * Decodes a page token written by {@link encodePageToken} for a list keyed by `parts`: `undefined` for
 * the start, else the key with one string per part, each of its part's shape (a UUID, an ISO-8601
 * millisecond timestamp, or text up to 512 characters).
 * @throws PageTokenError for anything else (bad base64url or JSON, another version, wrong arity or shape)
 */
export function decodePageToken(token: string, parts: readonly KeyPart[]): readonly string[] | undefined {
  if (token.length > MAX_TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token)) throw new PageTokenError();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new PageTokenError();
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) throw new PageTokenError();
  const { v, k } = decoded as { v?: unknown; k?: unknown };
  if (v !== VERSION || !Array.isArray(k)) throw new PageTokenError();
  if (k.length === 0) return undefined;
  if (k.length !== parts.length) throw new PageTokenError();
  return k.map((value: unknown, i) => {
    if (typeof value !== 'string' || !fits(value, parts[i] as KeyPart)) throw new PageTokenError();
    return value;
  });
}

function fits(value: string, part: KeyPart): boolean {
  switch (part) {
    case 'uuid':
      return UUID.test(value);
    case 'time':
      return ISO_MS.test(value) && !Number.isNaN(Date.parse(value)) && new Date(value).toISOString() === value;
    case 'text':
      return value.length > 0 && value.length <= 512;
  }
}
