import type { Request, Response } from 'express';
import { type KeyPart, type KeysetWindow, PageTokenError, decodePageToken, encodePageToken } from '../x';
import { badRequest } from './errors';

/** Kratos and Hydra: `page_size` (and the old `per_page`) default 250, at most 1000. */
export const DEFAULT_PAGE_SIZE = 250;
export const MAX_PAGE_SIZE = 1000;

/**
 * A parsed list request: the window the store reads and how the links are written. `token` style is
 * Kratos v1 / Hydra v2 (`page_size`, `page_token`); `page` style is the old Kratos `page`/`per_page`
 * (what `@ory/client@0.2.0-alpha.60` sends), kept working with links that carry a page token, so a
 * client that follows them is served by the keyset query too.
 */
export interface ListRequest extends KeysetWindow {
  readonly style: 'token' | 'page';
  /** The 0-based page number of a `page` style request. */
  readonly page: number;
}

const digits = (value: unknown): number | undefined => (typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : undefined);
const first = (value: unknown): unknown => (Array.isArray(value) ? value[0] : value);

/**
 * Reads `page_size`/`page_token` or, when the request has `page` or `per_page` and no `page_size`, the old
 * `page`/`per_page` (0-based page; garbage falls back to the defaults, as Kratos did). A `page_token`
 * is honoured in both styles.
 * @param parts the list's key shape, to validate a page token against
 * @throws OryError 400 for a `page_size` that is not an integer in 1..1000, or a page token this list did not write
 */
export function parseListRequest(query: Record<string, unknown>, parts: readonly KeyPart[]): ListRequest {
  const rawToken = first(query.page_token);
  let after: readonly string[] | undefined;
  if (typeof rawToken === 'string' && rawToken !== '') {
    try {
      after = decodePageToken(rawToken, parts);
    } catch (error) {
      if (error instanceof PageTokenError) throw badRequest('The page_token query parameter is invalid.').withOAuth2Error('invalid_request');
      throw error;
    }
  }
  const rawSize = first(query.page_size);
  const legacy = rawSize === undefined && (query.page !== undefined || query.per_page !== undefined);
  if (legacy) {
    const page = digits(first(query.page)) ?? 0;
    const perPage = digits(first(query.per_page));
    const size = perPage === undefined || perPage < 1 ? DEFAULT_PAGE_SIZE : Math.min(perPage, MAX_PAGE_SIZE);
    return { style: 'page', page, size, ...(after ? { after } : { offset: page * size }) };
  }
  let size = DEFAULT_PAGE_SIZE;
  if (rawSize !== undefined && rawSize !== '') {
    const parsed = digits(rawSize);
    if (parsed === undefined || parsed < 1 || parsed > MAX_PAGE_SIZE) {
      throw badRequest(`The page_size query parameter must be an integer from 1 to ${MAX_PAGE_SIZE}.`).withOAuth2Error('invalid_request');
    }
    size = parsed;
  }
  return { style: 'token', page: 0, size, ...(after ? { after } : {}) };
}

/**
 * Writes the `Link` header of a list page; never a total (no list counts a realm's rows per request).
 *
 * Token style, as ory/x keysetpagination (Kratos v1, Hydra v2): links relative to the request (its path
 * and every query parameter, `page_size` and `page_token` replaced, keys sorted as Go's
 * `url.Values.Encode` does), one header, comma-joined: `<…&page_size=N&page_token=START>; rel="first"`
 * and, when more rows follow, `<…&page_size=N&page_token=NEXT>; rel="next"`.
 *
 * Page style (the old `page`/`per_page`): absolute links on `legacyBase` as ory/x pagepagination wrote
 * them, `first` (`page=0`), `next` (`page=P+1` plus the next page token, so a client following it is
 * served by the keyset query) and `prev` (`page=P-1`) when `P > 0`; no `last` (it would need a count).
 * @param req the list request; token-style links keep its path as addressed (`/realms/{name}/…` included) and query
 * @param legacyBase absolute URL the page-style links point at
 */
export function setListLinks(res: Response, req: Request, legacyBase: string, request: ListRequest, next: readonly string[] | undefined): void {
  const original = new URL(req.originalUrl, 'http://x');
  const link = (rel: string, params: Record<string, string | undefined>, base?: string): string => {
    const search = new URLSearchParams(original.search);
    for (const [k, v] of Object.entries(params)) {
      if (v === undefined) search.delete(k);
      else search.set(k, v);
    }
    search.sort();
    const target = base === undefined ? `${original.pathname}?${search.toString()}` : withQuery(base, search);
    return `<${target}>; rel="${rel}"`;
  };
  const size = String(request.size);
  const links: string[] = [];
  if (request.style === 'token') {
    links.push(link('first', { page_size: size, page_token: encodePageToken([]) }));
    if (next) links.push(link('next', { page_size: size, page_token: encodePageToken(next) }));
  } else {
    links.push(link('first', { page: '0', per_page: size, page_token: undefined }, legacyBase));
    if (next) links.push(link('next', { page: String(request.page + 1), per_page: size, page_token: encodePageToken(next) }, legacyBase));
    if (request.page > 0) links.push(link('prev', { page: String(request.page - 1), per_page: size, page_token: undefined }, legacyBase));
  }
  res.setHeader('Link', links.join(','));
}

function withQuery(base: string, search: URLSearchParams): string {
  const url = new URL(base);
  url.search = search.toString();
  return url.toString();
}
