import type { SchemaObject } from 'ajv';

/**
 * Composes two object schemas into one: `properties` are merged key by key, recursively where both
 * parts declare the same object key (e.g. `courier`, `courier.smtp`); every other keyword comes from
 * `a`, or from `b` where `a` lacks it. The inputs are not modified.
 * @throws Error when a key is declared by both parts and is not an object schema in both
 */
export function composeSchemas(a: SchemaObject, b: SchemaObject): SchemaObject {
  const left = (a.properties ?? {}) as Record<string, SchemaObject>;
  const right = (b.properties ?? {}) as Record<string, SchemaObject>;
  const properties: Record<string, SchemaObject> = { ...left };
  for (const [key, schema] of Object.entries(right)) {
    const mine = left[key];
    if (mine === undefined) properties[key] = schema;
    else if (isObjectSchema(mine) && isObjectSchema(schema)) properties[key] = composeSchemas(mine, schema);
    else throw new Error(`composeSchemas: "${key}" is declared by both parts and is not an object in both`);
  }
  return { ...b, ...a, properties };
}

function isObjectSchema(schema: SchemaObject): boolean {
  return schema.type === 'object' && typeof schema.properties === 'object';
}
