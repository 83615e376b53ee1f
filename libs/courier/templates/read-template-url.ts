import { readFileSync } from 'node:fs';
import { CourierConfigError } from '../courier-config-error';

/**
 * Reads a `file://` (absolute after config load) or `base64://` template URL.
 * @param key the config key the URL came from; every error message starts with it.
 * @throws CourierConfigError when the file cannot be read or the base64 text is malformed.
 */
export function readTemplateUrl(key: string, url: string): string {
  if (url.startsWith('base64://')) {
    const data = url.slice('base64://'.length);
    if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(data)) throw new CourierConfigError(`${key}: base64:// value is not valid base64`);
    return Buffer.from(data, data.includes('-') || data.includes('_') ? 'base64url' : 'base64').toString('utf8');
  }
  if (url.startsWith('file://')) return readTemplateFile(key, url.slice('file://'.length));
  throw new CourierConfigError(`${key}: must be a file:// or base64:// URL`);
}

/** Reads a template file. @throws CourierConfigError naming `key`, the file and the error code. */
export function readTemplateFile(key: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new CourierConfigError(`${key}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
