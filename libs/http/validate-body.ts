import { type ValidationError, validateSync } from './class-validator';
import { badRequest } from './errors';

/** A class-validator DTO class with a no-argument constructor. */
export type DtoClass<T extends object> = new () => T;

/**
 * Checks a parsed JSON body against a class-validator DTO (whitelist, unknown keys rejected) and returns
 * a typed instance.
 * @throws OryError 400 whose reason names the first problem and whose `details.errors` lists all of them.
 */
export function validateBody<T extends object>(dto: DtoClass<T>, body: unknown): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('The request body must be a JSON object.');
  }
  // Keys that Object.prototype already has (`constructor`, `__proto__`, `toString`, …) would replace what
  // class-validator reads from the instance (its constructor names the DTO's rules); no DTO declares one.
  const inherited = Object.keys(body).find((key) => key in Object.prototype);
  if (inherited !== undefined) throw badRequest(`property ${inherited} is not allowed`).withDetails({ errors: [`property ${inherited} is not allowed`] });
  const instance = Object.assign(new dto(), body);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (errors.length > 0) {
    const messages = flatten(errors);
    throw badRequest(messages[0]).withDetails({ errors: messages });
  }
  return instance;
}

/** Validates each element of a JSON array body against the DTO. @throws OryError 400 */
export function validateArrayBody<T extends object>(dto: DtoClass<T>, body: unknown, maxItems = 1000): T[] {
  if (!Array.isArray(body)) throw badRequest('The request body must be a JSON array.');
  if (body.length > maxItems) throw badRequest(`The request body may hold at most ${maxItems} items.`);
  return body.map((item, i) => {
    try {
      return validateBody(dto, item);
    } catch (e) {
      throw badRequest(`item ${i}: ${(e as { reason?: string }).reason ?? 'is invalid'}`);
    }
  });
}

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) =>
      m.startsWith(`property ${e.property} should not exist`) ? `property ${path} is not allowed` : m.replace(e.property, path),
    );
    return [...own, ...flatten(e.children ?? [], path)];
  });
}
