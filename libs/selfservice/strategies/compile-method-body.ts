import Ajv, { type ValidateFunction } from 'ajv';
import { FlowValidationError, messages } from '../flow';

const ajv = new Ajv({ allErrors: false, strict: false, coerceTypes: true });

/**
 * Compiles a strategy's body schema (architecture B5 rule 3). The returned function checks a copy of
 * the body, with form strings coerced to the schema's types (`totp_unlink=true` → `true`), and
 * returns the copy. The schema is compiled on first use.
 * @throws FlowValidationError with message 4000001 naming the first violation
 */
export function compileMethodBody(schema: object): (body: Readonly<Record<string, unknown>>) => Record<string, unknown> {
  // Compiled on the first submission, not when the strategy's module loads at boot.
  let validate: ValidateFunction | undefined;
  return (body) => {
    validate ??= ajv.compile(schema);
    const copy: Record<string, unknown> = { ...body };
    if (!validate(copy)) {
      const e = validate.errors?.[0];
      const path = (e?.instancePath ?? '').replace(/^\//, '').split('/').join('.');
      throw new FlowValidationError([messages.validationGeneric(`${path ? `${path}: ` : ''}${e?.message ?? 'is invalid'}`)]);
    }
    return copy;
  };
}

/** A boolean form field as browsers and JSON clients send it: `true` or the text `"true"`. */
export function isTrueField(value: unknown): boolean {
  return value === true || value === 'true';
}
