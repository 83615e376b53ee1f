/**
 * How deeply a request body may nest: JSON objects and arrays, and the dotted names of form fields
 * (`traits.name.first` is 3 levels). Deeper bodies are refused with 400 before anything reads them,
 * so no validator, walker or database ever recurses that deep.
 */
export const MAX_BODY_DEPTH = 64;

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Whether JSON text nests objects and arrays deeper than `max`, found in one pass over the text
 * (brackets inside strings do not count) without parsing it. Works on UTF-8 bytes (a string is
 * encoded first), where every byte of a multi-byte character is ≥ 0x80 and so never looks like a
 * bracket, quote or backslash.
 */
export function jsonDepthExceeds(text: Uint8Array | string, max: number = MAX_BODY_DEPTH): boolean {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > max) return true;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) depth--;
  }
  return false;
}

/** Whether a dotted form field name (`a.b.c`) has more than `max` parts. */
export function formNameDepthExceeds(name: string, max: number = MAX_BODY_DEPTH): boolean {
  let parts = 1;
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) === 0x2e && ++parts > max) return true;
  return false;
}
