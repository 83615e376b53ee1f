import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import Ajv, { type ErrorObject, type SchemaObject } from 'ajv';
import addFormats from 'ajv-formats';
import YAML from 'yaml';
import { parseDuration } from '../x';
import type { Config } from './config';
import { IMPLEMENTED_AFTER_HOOKS, configSchema } from './config.schema';

/** Thrown when configuration cannot be loaded; the message names the key and the rule. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export interface LoadConfigOptions {
  /** Extra YAML files applied after `config/default.yaml`, in order. */
  readonly files?: readonly string[];
  /** Environment to read overrides from (defaults to `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Values applied last (tests). */
  readonly overrides?: Record<string, unknown>;
  /** Skip `config/default.yaml` (tests that want schema defaults only). */
  readonly skipDefaultFile?: boolean;
}

/**
 * Loads configuration: `config/default.yaml`, then each `--config` file, then environment variables
 * (dotted key → UPPER_SNAKE, e.g. `serve.public.port` → `SERVE_PUBLIC_PORT`), then `overrides`.
 * Validates once with ajv (defaults filled in, durations parsed to ms, URLs checked) and deep-freezes.
 * Relative `file://` URLs are resolved against the file they were written in.
 * @throws ConfigError naming the key and the rule, e.g. `serve.public.port: must be integer`.
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const files = [...(options.skipDefaultFile ? [] : [defaultFile()]), ...(options.files ?? [])];
  let merged: Record<string, unknown> = {};
  for (const file of files) merged = deepMerge(merged, readYamlFile(file));
  merged = deepMerge(merged, envOverrides(configSchema, options.env ?? process.env));
  if (options.overrides) merged = deepMerge(merged, options.overrides);
  const validate = compileSchema(configSchema);
  if (!validate(merged)) throw new ConfigError(formatErrors(validate.errors ?? []));
  assertConsistent(merged as unknown as Config);
  fillDerived(merged as unknown as MutableConfig);
  return deepFreeze(merged) as unknown as Config;
}

/** Rules across keys that the JSON Schema does not express. */
function assertConsistent(config: Config): void {
  assertRealmConsistent(config);
  // A bare `*` with credentials would let any site read a user's session: refused, not silently downgraded.
  for (const app of ['public', 'admin'] as const) {
    const cors = config.serve[app].cors;
    if (cors.allow_credentials && cors.allowed_origins.includes('*')) {
      throw new ConfigError(
        `invalid configuration: serve.${app}.cors.allow_credentials: must be false while serve.${app}.cors.allowed_origins contains a bare "*"; list the origins allowed to send credentials`,
      );
    }
  }
}

/**
 * Rules across realm keys that the JSON Schema does not express (after-hooks, the pairwise salt);
 * stored realms are held to them too.
 * @throws ConfigError naming the key
 */
export function assertRealmConsistent(config: Pick<Config, 'selfservice' | 'oidc'>): void {
  assertImplementedHooks(config);
  const subjects = config.oidc.subject_identifiers;
  if (subjects.supported_types.includes('pairwise') && !subjects.pairwise.salt) {
    throw new ConfigError('invalid configuration: oidc.subject_identifiers.pairwise.salt: is required when supported_types contains pairwise (at least 8 characters)');
  }
}

/**
 * Every configured after-hook must be one Tessera implements for its flow (IMPLEMENTED_AFTER_HOOKS).
 * @throws ConfigError naming the key and the hook
 */
function assertImplementedHooks(config: Pick<Config, 'selfservice'>): void {
  for (const [flow, implemented] of Object.entries(IMPLEMENTED_AFTER_HOOKS) as [keyof typeof IMPLEMENTED_AFTER_HOOKS, readonly string[]][]) {
    const after = config.selfservice.flows[flow].after as unknown as Record<string, unknown>;
    const lists: [string, unknown][] = [['', after]];
    for (const method of ['password', 'code', 'webauthn']) if (isPlainObject(after[method])) lists.push([`.${method}`, after[method]]);
    for (const [suffix, block] of lists) {
      for (const { hook } of (block as { hooks: readonly { hook: string }[] }).hooks) {
        if (implemented.includes(hook)) continue;
        const supported = implemented.length ? implemented.join(', ') : 'none';
        throw new ConfigError(`invalid configuration: selfservice.flows.${flow}.after${suffix}.hooks: hook "${hook}" is not implemented (${flow} supports: ${supported})`);
      }
    }
  }
}

/** The folder of `config/default.yaml`: relative `file://` defaults are resolved against it. */
export function defaultConfigDir(): string {
  return dirname(defaultFile());
}

function defaultFile(): string {
  // Works from the source tree (ts-jest) and from dist/ (compiled): config/ sits at the package root.
  const candidates = [resolve(__dirname, '../../config/default.yaml'), resolve(__dirname, '../../../config/default.yaml')];
  for (const c of candidates) {
    try {
      readFileSync(c);
      return c;
    } catch {
      /* try the next */
    }
  }
  throw new ConfigError('config/default.yaml: file not found next to the installation');
}

/** Reads one YAML mapping; relative `file://` URLs in it become absolute (relative to the file). */
export function readYamlFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`${file}: cannot read config file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let parsed: unknown;
  try {
    parsed = YAML.parse(text) ?? {};
  } catch (e) {
    throw new ConfigError(`${file}: not valid YAML (${(e as Error).message.split('\n')[0]})`);
  }
  if (!isPlainObject(parsed)) throw new ConfigError(`${file}: must be a YAML mapping at the top level`);
  return resolveFileUrls(parsed, dirname(resolve(file))) as Record<string, unknown>;
}

/** Rewrites relative `file://` strings into absolute ones, relative to `baseDir`. */
export function resolveFileUrls(value: unknown, baseDir: string): unknown {
  if (typeof value === 'string' && value.startsWith('file://')) {
    const path = value.slice('file://'.length);
    return isAbsolute(path) ? value : `file://${resolve(baseDir, path)}`;
  }
  if (Array.isArray(value)) return value.map((v) => resolveFileUrls(v, baseDir));
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveFileUrls(v, baseDir)]));
  }
  return value;
}

/**
 * Collects overrides from the environment for every key the schema knows. Scalars are taken as text
 * (ajv coerces them); arrays accept JSON (`["a","b"]`) or comma-separated text; objects accept JSON.
 */
export function envOverrides(
  schema: SchemaObject,
  env: Readonly<Record<string, string | undefined>>,
  path: string[] = [],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, sub] of Object.entries((schema.properties ?? {}) as Record<string, SchemaObject>)) {
    const here = [...path, key];
    const name = here.join('_').toUpperCase();
    const raw = env[name];
    if (sub.type === 'object' && sub.properties) {
      const nested = envOverrides(sub, env, here);
      if (Object.keys(nested).length > 0) out[key] = nested;
      continue;
    }
    if (raw === undefined) continue;
    out[key] = sub.type === 'array' ? parseListEnv(name, raw) : sub.type === 'object' ? parseObjectEnv(name, raw) : raw;
  }
  return out;
}

/** A map-valued key (`courier.smtp.headers`) from the environment: a JSON object. */
function parseObjectEnv(name: string, raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new ConfigError(`${name}: must be a JSON object`);
  }
}

function parseListEnv(name: string, raw: string): unknown {
  const trimmed = raw.trim();
  if (trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed);
    } catch {
      throw new ConfigError(`${name}: must be a JSON array or a comma-separated list`);
    }
  }
  return trimmed === '' ? [] : trimmed.split(',').map((s) => s.trim());
}

const compiled = new Map<SchemaObject, ReturnType<Ajv['compile']>>();
/**
 * Options of the configuration validator. It runs once per load, so compiling fast matters more than
 * validating fast (issue 16, cold start): ajv's code optimisation is off, and the schema itself is not
 * checked against the JSON Schema meta-schema at boot (that compile alone is a third of the cost) —
 * `load-config.test.ts` checks both configuration schemas against it instead. `strict` still refuses
 * unknown keywords while compiling.
 */
export const CONFIG_AJV_OPTIONS = { allErrors: true, useDefaults: true, coerceTypes: true, strict: true, validateSchema: false, code: { optimize: false } } as const;

/** The validator of `schema` (the whole file's or the realm part), with defaults, coercion and `duration`. */
export function compileSchema(schema: SchemaObject): ReturnType<Ajv['compile']> {
  const cached = compiled.get(schema);
  if (cached) return cached;
  const ajv = new Ajv(CONFIG_AJV_OPTIONS);
  addFormats(ajv);
  ajv.addKeyword({
    keyword: 'duration',
    type: 'string',
    modifying: true,
    errors: true,
    validate: function validateDuration(
      this: unknown,
      _schema: boolean,
      data: string,
      _parent?: unknown,
      cxt?: { parentData: Record<string | number, unknown>; parentDataProperty: string | number },
    ): boolean {
      const ms = parseDuration(data);
      if (ms === undefined) {
        (validateDuration as unknown as { errors: Partial<ErrorObject>[] }).errors = [
          { keyword: 'duration', message: 'must be a duration such as "30s", "15m" or "1h"', params: {} },
        ];
        return false;
      }
      if (cxt) cxt.parentData[cxt.parentDataProperty] = ms;
      return true;
    },
  });
  const validate = ajv.compile(schema);
  compiled.set(schema, validate);
  return validate;
}

/** `serve.public.port: must be integer; dsn: must NOT have fewer than 1 characters` */
export function formatErrors(errors: ErrorObject[]): string {
  const lines = errors.map((e) => {
    const key = e.instancePath.replace(/^\//, '').split('/').join('.') || '(root)';
    const extra =
      e.keyword === 'additionalProperties'
        ? ` (${(e.params as { additionalProperty: string }).additionalProperty})`
        : e.keyword === 'enum'
          ? ` (${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).join(', ')})`
          : e.keyword === 'propertyNames'
            ? ` (${(e.params as { propertyName: string }).propertyName})`
            : '';
    return `${key}: ${e.message ?? 'is invalid'}${extra}`;
  });
  return `invalid configuration: ${[...new Set(lines)].join('; ')}`;
}

type MutableConfig = { serve: { public: { port: number; base_url?: string }; admin: { port: number; base_url?: string } } };

/** Fills values derived from others: base URLs default to http://127.0.0.1:<port>/ and always end with `/`. */
function fillDerived(config: MutableConfig): void {
  for (const app of [config.serve.public, config.serve.admin]) {
    const base = app.base_url ?? `http://127.0.0.1:${app.port}/`;
    app.base_url = base.endsWith('/') ? base : `${base}/`;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    out[k] = isPlainObject(v) && isPlainObject(out[k]) ? deepMerge(out[k] as Record<string, unknown>, v) : v;
  }
  return out;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
