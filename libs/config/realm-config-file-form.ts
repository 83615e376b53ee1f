import type { SchemaObject } from 'ajv';
import { formatDuration } from '../x';
import type { RealmConfig } from './config';
import { realmConfigSchema } from './config.schema';

/**
 * A realm's configuration as a configuration file would write it: only the keys of the realm part of the
 * schema (`realmConfigSchema`; the read-only host facts `dev`, `serve` and `courier.sms.enabled` are left
 * out), with durations written back as text in Go's format (`3600000` → `"1h0m0s"`), so the result parses
 * again to the same configuration (`parseRealmConfig(realmConfigFileForm(c))` equals `c` but for the host
 * facts). The result is a fresh, unfrozen copy.
 */
export function realmConfigFileForm(config: RealmConfig | Readonly<Record<string, unknown>>): Record<string, unknown> {
  return toFileForm(realmConfigSchema, config) as Record<string, unknown>;
}

function toFileForm(schema: SchemaObject | boolean | undefined, value: unknown): unknown {
  if (typeof schema !== 'object' || schema === null) return structuredClone(value);
  if ((schema as { duration?: boolean }).duration === true && typeof value === 'number') return formatDuration(value);
  if (Array.isArray(value)) return value.map((item) => toFileForm(schema.items as SchemaObject | undefined, item));
  if (typeof value !== 'object' || value === null) return value;
  const properties = (schema.properties ?? {}) as Record<string, SchemaObject>;
  const rest = schema.additionalProperties as SchemaObject | boolean | undefined;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (item === undefined) continue;
    if (key in properties) out[key] = toFileForm(properties[key], item);
    else if (rest !== false) out[key] = toFileForm(typeof rest === 'object' ? rest : undefined, item);
  }
  return out;
}
