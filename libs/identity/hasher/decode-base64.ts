const STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

/**
 * Decodes standard-alphabet base64 (RFC 4648 section 4), with or without `=` padding, and returns `undefined`
 * for anything else: other characters (including the URL-safe `-_`), whitespace, a wrong amount of padding, or
 * non-zero unused trailing bits (a non-canonical encoding, which Go's `base64.Strict` also refuses).
 * `Buffer.from(s, 'base64')` alone would skip invalid characters silently, so never use it on imported hashes.
 */
export function decodeBase64(text: string): Buffer | undefined {
  if (!STD_BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64').replace(/=+$/, '') !== text.replace(/=+$/, '')) return undefined;
  return bytes;
}
