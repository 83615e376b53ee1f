import { fullFormats } from 'ajv-formats/dist/formats';

const EMAIL = fullFormats.email as RegExp;

/**
 * True when `value` is an email address as JSON Schema `format: email` (ajv-formats, full mode) sees
 * it: the same rule identity traits are validated with.
 */
export function isEmailAddress(value: string): boolean {
  return EMAIL.test(value);
}
