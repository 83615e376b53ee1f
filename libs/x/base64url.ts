/** Unpadded base64url of a UTF-8 string (as Kratos encodes schema ids in `schema_url`). */
export function toBase64Url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

/** Decodes unpadded (or padded) base64url to UTF-8; `undefined` when the input is not base64url. */
export function fromBase64Url(text: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(text)) return undefined;
  return Buffer.from(text, 'base64url').toString('utf8');
}
