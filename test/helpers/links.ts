/** The links of an RFC 8288 `Link` header by `rel` (as `@ory/client` users and the Ory CLI read them). */
export function linksOf(header: string | undefined): Record<string, string> {
  const links: Record<string, string> = {};
  for (const part of (header ?? '').split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>\s*;\s*rel="([^"]+)"\s*$/.exec(part);
    if (match) links[match[2] as string] = match[1] as string;
  }
  return links;
}

/** `link` (absolute, or relative to `origin` as ory/x keysetpagination writes it) as a path and query for supertest. */
export function pathOf(link: string, origin: string): string {
  const url = new URL(link, origin);
  return `${url.pathname}${url.search}`;
}
