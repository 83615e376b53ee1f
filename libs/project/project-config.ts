import type { SchemaObject } from 'ajv';
import { processConfigSchema, realmConfigSchema } from '../config';
import { badRequest } from '../http';

/** The Ory services whose configuration a project applies. */
export type ProjectServiceName = 'identity' | 'oauth2';

/**
 * Which top-level keys of Tessera's realm configuration each Ory service's configuration holds:
 * `services.identity.config` takes Kratos' keys, `services.oauth2.config` Hydra's, each exactly as in
 * Tessera's configuration file. Every key of `realmConfigSchema` belongs to exactly one service.
 */
export const SERVICE_KEYS: Readonly<Record<ProjectServiceName, readonly string[]>> = {
  identity: ['identity', 'selfservice', 'session', 'cookies', 'courier'],
  oauth2: ['urls', 'ttl', 'strategies', 'oauth2', 'oidc', 'webfinger'],
};

/** Operational top-level keys of Kratos' and Hydra's files that Tessera has no key for (besides `processConfigSchema`'s). */
const OTHER_OPERATIONAL_KEYS = ['tracing', 'sqa', 'profiling', 'feature_flags', 'cgroups', 'clients', 'expose_metrics_port'];

/** Warning codes of `SuccessfulProjectUpdate.warnings`. */
export const WARNING_IGNORED_KEY = 1001;
export const WARNING_UNSUPPORTED_SERVICE = 1002;

/** The SDK's `Warning`: a configuration key found but not applied. */
export interface ProjectWarning {
  readonly code: number;
  readonly message: string;
}

/** At most this many warnings per service configuration (a whole `serve` tree can have many leaves). */
const MAX_WARNINGS = 50;

/**
 * One service's configuration (`services.<service>.config`) as realm overrides: operational keys — the
 * process configuration's (`serve`, `dsn`, `log`, `secrets`, `database`, `hashers`, `courier.smtp.connection_uri`, …)
 * and Kratos'/Hydra's own (`tracing`, `sqa`, …) — are dropped, one warning per leaf (`serve.public.port`);
 * `version` is dropped silently (Ory expects it in the payload). Nothing is validated here beyond the keys'
 * home: the realm schema does that once both services are merged.
 * @throws OryError 400 for a config that is not an object, a key of the other service, or an unknown key
 */
export function importServiceConfig(service: ProjectServiceName, config: unknown): { config: Record<string, unknown>; warnings: ProjectWarning[] } {
  const base = `services.${service}.config`;
  if (!isPlainObject(config)) throw badRequest(`${base}: must be a JSON object`);
  const other: ProjectServiceName = service === 'identity' ? 'oauth2' : 'identity';
  const processKeys = properties(processConfigSchema);
  const realmKeys = properties(realmConfigSchema);
  const out: Record<string, unknown> = {};
  const warnings: ProjectWarning[] = [];
  for (const [key, value] of Object.entries(config)) {
    const path = `${base}.${key}`;
    if (key === 'version') continue;
    if (SERVICE_KEYS[service].includes(key)) {
      out[key] = key in processKeys ? withoutOperational(value, realmKeys[key], processKeys[key], path, warnings) : value;
    } else if (SERVICE_KEYS[other].includes(key)) {
      throw badRequest(`${path}: is a key of the ${other} service; set it in services.${other}.config`);
    } else if (key in processKeys || OTHER_OPERATIONAL_KEYS.includes(key)) {
      warnLeaves(value, path, warnings);
    } else {
      throw badRequest(`${path}: is not a configuration key of the ${service} service (keys: ${SERVICE_KEYS[service].join(', ')})`);
    }
  }
  return { config: out, warnings: warnings.slice(0, MAX_WARNINGS) };
}

/** `realm` with the keys only the process schema has removed (recursively), one warning per removed leaf. */
function withoutOperational(value: unknown, realm: SchemaObject, process: SchemaObject, path: string, warnings: ProjectWarning[]): unknown {
  if (!isPlainObject(value)) return value;
  const realmKeys = properties(realm);
  const processKeys = properties(process);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key in realmKeys) out[key] = key in processKeys ? withoutOperational(item, realmKeys[key], processKeys[key], `${path}.${key}`, warnings) : item;
    else if (key in processKeys) warnLeaves(item, `${path}.${key}`, warnings);
    else out[key] = item;
  }
  return out;
}

function warnLeaves(value: unknown, path: string, warnings: ProjectWarning[]): void {
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const [key, item] of Object.entries(value)) warnLeaves(item, `${path}.${key}`, warnings);
    return;
  }
  if (warnings.length >= MAX_WARNINGS) return;
  warnings.push({
    code: WARNING_IGNORED_KEY,
    message: `${path} is operational configuration, which the server's configuration file and environment decide: ignored`,
  });
}

/** The warning for `services.permission`: kept with the project, not applied. */
export function permissionWarning(): ProjectWarning {
  return {
    code: WARNING_UNSUPPORTED_SERVICE,
    message: 'services.permission (Ory Keto) is not supported: its configuration is stored with the project and returned, but not applied',
  };
}

/** A realm configuration (file form) cut into the two services' configurations. */
export function splitByService(config: Readonly<Record<string, unknown>>): Record<ProjectServiceName, Record<string, unknown>> {
  const pick = (keys: readonly string[]): Record<string, unknown> => Object.fromEntries(Object.entries(config).filter(([k]) => keys.includes(k)));
  return { identity: pick(SERVICE_KEYS.identity), oauth2: pick(SERVICE_KEYS.oauth2) };
}

/** Realm overrides without the keys of `service`. */
export function withoutService(overrides: Readonly<Record<string, unknown>>, service: ProjectServiceName): Record<string, unknown> {
  return Object.fromEntries(Object.entries(overrides).filter(([k]) => !SERVICE_KEYS[service].includes(k)));
}

/**
 * A configuration error's message with each key named as the project API shows it:
 * `invalid configuration: session.lifespan: must be …` → `services.identity.config.session.lifespan: must be …`.
 */
export function qualifyConfigMessage(message: string): string {
  return message
    .replace(/^invalid configuration: /, '')
    .split('; ')
    .map((part) => {
      const key = /^([A-Za-z0-9_]+)[.:]/.exec(part)?.[1];
      const service = (Object.keys(SERVICE_KEYS) as ProjectServiceName[]).find((s) => key !== undefined && SERVICE_KEYS[s].includes(key));
      return service ? `services.${service}.config.${part}` : part;
    })
    .join('; ');
}

/**
 * Where `overrides` point at the server's files: `file://` URLs (identity schemas, templates, JWKS) and
 * `courier.template_override_path`, as keys named the way the project API shows them. A project's
 * configuration may not (what the server reads it may send out, e.g. as a mail template); the `allowed`
 * URLs (those of the defaults, e.g. the default identity schema) pass.
 */
export function serverFileKeys(overrides: Readonly<Record<string, unknown>>, allowed: ReadonlySet<string> = new Set()): string[] {
  const found: string[] = [];
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'string' && value.trim().toLowerCase().startsWith('file:') && !allowed.has(value)) found.push(path);
    else if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${path}.${i}`));
    else if (isPlainObject(value)) for (const [key, item] of Object.entries(value)) walk(item, `${path}.${key}`);
  };
  for (const [key, value] of Object.entries(overrides)) {
    const service = (Object.keys(SERVICE_KEYS) as ProjectServiceName[]).find((s) => SERVICE_KEYS[s].includes(key)) ?? 'identity';
    const base = `services.${service}.config.${key}`;
    if (key === 'courier' && isPlainObject(value) && value.template_override_path !== undefined) found.push(`${base}.template_override_path`);
    walk(value, base);
  }
  return found;
}

/** Every `file://` URL in `config` (the defaults' own, which a project may keep). */
export function fileUrls(config: unknown): Set<string> {
  const urls = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string' && value.startsWith('file://')) urls.add(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (isPlainObject(value)) Object.values(value).forEach(walk);
  };
  walk(config);
  return urls;
}

/**
 * What of `value` differs from `defaults`, recursively for objects (arrays and scalars whole); `{}` when
 * nothing does. Stored overrides are kept minimal this way, so a configuration read (with every default
 * filled in) and written back stores nothing new, and later changes of a default still apply.
 */
export function minimalOverrides(value: Readonly<Record<string, unknown>>, defaults: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return (diff(value, defaults) as Record<string, unknown> | undefined) ?? {};
}

function diff(value: unknown, defaults: unknown): unknown {
  if (isPlainObject(value) && isPlainObject(defaults)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const changed = key in defaults ? diff(item, defaults[key]) : item;
      if (changed !== undefined) out[key] = changed;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  return deepEqual(value, defaults) ? undefined : value;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

function properties(schema: SchemaObject | undefined): Record<string, SchemaObject> {
  return ((schema?.properties ?? {}) as Record<string, SchemaObject>);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
