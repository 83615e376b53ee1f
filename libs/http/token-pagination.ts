import type { Response } from 'express';

/** Hydra's token pagination (ory/x tokenpagination): `page_size` 1..1000 (default 250) and an opaque `page_token`. */
export interface TokenPageRequest {
  readonly offset: number;
  readonly size: number;
}

const DEFAULT_SIZE = 250;
const MAX_SIZE = 1000;

/** `page_token` is base64url (no padding) of `{"page":"<offset>","v":1}`, as Hydra writes it. */
export function encodePageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ page: String(offset), v: 1 }), 'utf8').toString('base64url');
}

/** Reads `page_size` and `page_token`; garbage falls back to the first page with the default size. */
export function parseTokenPageRequest(query: Record<string, unknown>): TokenPageRequest {
  const rawSize = typeof query.page_size === 'string' && /^\d{1,9}$/.test(query.page_size) ? Number(query.page_size) : undefined;
  const size = rawSize === undefined || rawSize < 1 ? DEFAULT_SIZE : Math.min(rawSize, MAX_SIZE);
  let offset = 0;
  if (typeof query.page_token === 'string' && query.page_token !== '') {
    try {
      const decoded = JSON.parse(Buffer.from(query.page_token, 'base64url').toString('utf8')) as { page?: unknown };
      const page = Number(decoded.page);
      if (Number.isSafeInteger(page) && page >= 0) offset = page;
    } catch {
      offset = 0;
    }
  }
  return { offset, size };
}

/**
 * Sets `X-Total-Count` and a `Link` header with `first`, `next` (when more items follow), `prev` (when
 * not on the first page) and `last`. `baseUrl` is absolute; `keep` holds query parameters (filters)
 * to repeat in every link.
 */
export function setTokenPageHeaders(res: Response, baseUrl: string, total: number, page: TokenPageRequest, keep: Record<string, string | undefined> = {}): void {
  const link = (offset: number, rel: string): string => {
    const url = new URL(baseUrl);
    for (const [k, v] of Object.entries(keep)) if (v !== undefined) url.searchParams.set(k, v);
    url.searchParams.set('page_size', String(page.size));
    url.searchParams.set('page_token', encodePageToken(offset));
    return `<${url.toString()}>; rel="${rel}"`;
  };
  const lastOffset = total === 0 ? 0 : Math.floor((total - 1) / page.size) * page.size;
  const rels = [link(0, 'first')];
  if (page.offset + page.size < total) rels.push(link(page.offset + page.size, 'next'));
  if (page.offset > 0) rels.push(link(Math.max(0, page.offset - page.size), 'prev'));
  rels.push(link(lastOffset, 'last'));
  res.setHeader('X-Total-Count', String(total));
  res.setHeader('Link', rels.join(','));
}
