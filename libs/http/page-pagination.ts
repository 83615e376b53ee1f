import type { Response } from 'express';

/** Kratos page pagination (ory/x pagepagination): 0-based `page`, `per_page` 1..1000, default 250. */
export interface PageRequest {
  readonly page: number;
  readonly perPage: number;
}

const DEFAULT_PER_PAGE = 250;
const MAX_PER_PAGE = 1000;

/** Reads `page`/`per_page` from a query; garbage falls back to the defaults, as Kratos does. */
export function parsePageRequest(query: Record<string, unknown>): PageRequest {
  const page = toInt(query.page);
  const perPage = toInt(query.per_page);
  return {
    page: page !== undefined && page >= 0 ? page : 0,
    perPage: perPage === undefined || perPage < 1 ? DEFAULT_PER_PAGE : Math.min(perPage, MAX_PER_PAGE),
  };
}

function toInt(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\d{1,9}$/.test(value)) return undefined;
  return Number(value);
}

/**
 * Sets `X-Total-Count` and the `Link` header exactly as ory/x pagepagination does, including its quirk
 * of a lower-case `link` header with only `rel="first"` when everything fits in one short page.
 * @param baseUrl the absolute URL the links point at (e.g. `{admin}/identities`).
 */
export function setPageHeaders(res: Response, baseUrl: string, total: number, request: PageRequest): void {
  const { perPage } = request;
  const offset = request.page * perPage;
  const lastOffset = total % perPage === 0 ? total - perPage : Math.floor(total / perPage) * perPage;
  const link = (offsetForRel: number, rel: string, pp = perPage): string => {
    const url = new URL(baseUrl);
    url.searchParams.set('page', String(pp === 0 ? 0 : Math.floor(offsetForRel / pp)));
    url.searchParams.set('per_page', String(pp));
    return `<${url.toString()}>; rel="${rel}"`;
  };
  res.setHeader('X-Total-Count', String(total));
  if (offset >= lastOffset) {
    if (total === 0) {
      res.setHeader('Link', [link(0, 'first'), link(offset + perPage, 'next'), link(offset - perPage, 'prev')].join(','));
    } else if (total < perPage) {
      res.setHeader('link', link(0, 'first', total));
    } else {
      res.setHeader('Link', [link(0, 'first'), link(offset - perPage, 'prev')].join(','));
    }
  } else if (offset < perPage) {
    res.setHeader('Link', [link(offset + perPage, 'next'), link(lastOffset, 'last')].join(','));
  } else {
    res.setHeader(
      'Link',
      [link(0, 'first'), link(offset + perPage, 'next'), link(offset - perPage, 'prev'), link(lastOffset, 'last')].join(','),
    );
  }
}
