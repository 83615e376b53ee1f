import { readFileSync } from 'node:fs';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { fromBase64Url, lazy } from '../x';
import type { AddressVia, CredentialsType } from './identity';
import { normalizeIdentifier } from './identity';

/** Where a schema comes from: `file:///abs/path.json` or `base64://<standard base64 JSON>`. */
export interface IdentitySchemaSource {
  readonly id: string;
  readonly url: string;
}

/** A schema that cannot be loaded or compiled; the message names it. Stops boot. */
export class IdentitySchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdentitySchemaError';
  }
}

/** One failed rule, in Kratos's wording. */
export interface TraitsViolation {
  /** JSON pointer into the identity document, e.g. `/traits/email`. */
  readonly instancePath: string;
  readonly keyword: string;
  readonly message: string;
}

/** Traits that do not satisfy their schema. */
export class TraitsValidationError extends Error {
  constructor(readonly violations: readonly TraitsViolation[]) {
    super(violations.map((v) => `I[#${v.instancePath}] ${v.message}`).join('; '));
    this.name = 'TraitsValidationError';
  }
}

/** What the `ory.sh/kratos` extension says about a set of traits. */
export interface TraitsExtensions {
  /** Normalised, de-duplicated identifiers per credentials type. */
  readonly identifiers: ReadonlyMap<CredentialsType, readonly string[]>;
  readonly verifiable: readonly { readonly value: string; readonly via: AddressVia }[];
  readonly recovery: readonly { readonly value: string; readonly via: AddressVia }[];
  /** The trait value used as TOTP account name, if any. */
  readonly totpAccountName?: string;
}

interface KratosExtension {
  credentials?: Partial<Record<CredentialsType, { identifier?: boolean; account_name?: boolean; via?: string }>>;
  verification?: { via?: string };
  recovery?: { via?: string };
}

interface CompiledSchema {
  readonly id: string;
  readonly url: string;
  readonly raw: Record<string, unknown>;
  readonly validate: ValidateFunction;
}

const EXTENSION_KEY = 'ory.sh/kratos';
// Ajv keyword names cannot contain '.' or '/', so the extension is renamed in the compiled copy.
const AJV_KEYWORD = 'x-ory-kratos';

/**
 * The longest identifier or address (characters) a trait may yield, whatever its schema allows: the
 * database columns (and their unique indexes, within MySQL's 3072-byte key limit) hold this much on
 * every dialect. A 320-character email fits.
 */
export const MAX_IDENTIFIER_LENGTH = 512;

/** Collected during one synchronous validation run. */
let collecting: { value: unknown; ext: KratosExtension; instancePath: string }[] | undefined;

/**
 * The identity trait schemas from config (`identity.schemas`), loaded and compiled once at boot.
 * Invariant: every schema has `properties.traits` of type object; the default schema id exists.
 */
export class IdentitySchemas {
  private readonly byId: ReadonlyMap<string, CompiledSchema>;

  private constructor(
    schemas: readonly CompiledSchema[],
    readonly defaultSchemaId: string,
  ) {
    this.byId = new Map(schemas.map((s) => [s.id, s]));
  }

  /**
   * Loads and compiles every source.
   * @throws IdentitySchemaError naming the schema that cannot be read, parsed or compiled.
   */
  static load(sources: readonly IdentitySchemaSource[], defaultSchemaId: string): IdentitySchemas {
    const seen = new Set<string>();
    const compiled = sources.map((source) => {
      if (seen.has(source.id)) throw new IdentitySchemaError(`identity schema "${source.id}": the id is used twice`);
      seen.add(source.id);
      return compile(source);
    });
    if (!seen.has(defaultSchemaId)) {
      throw new IdentitySchemaError(`identity.default_schema_id: no schema with id "${defaultSchemaId}" in identity.schemas`);
    }
    return new IdentitySchemas(compiled, defaultSchemaId);
  }

  /** Every schema in config order, as `[{id, schema}]`. */
  list(): { id: string; schema: Record<string, unknown> }[] {
    return [...this.byId.values()].map((s) => ({ id: s.id, schema: s.raw }));
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** The raw schema by id, or by the base64url of its id (as in `schema_url`); `undefined` if unknown. */
  find(idOrBase64: string): { id: string; schema: Record<string, unknown> } | undefined {
    const direct = this.byId.get(idOrBase64);
    const decoded = direct ? undefined : fromBase64Url(idOrBase64);
    const found = direct ?? (decoded !== undefined ? this.byId.get(decoded) : undefined);
    return found && { id: found.id, schema: found.raw };
  }

  /**
   * Validates `traits` against schema `schemaId` and reads the `ory.sh/kratos` extension.
   * @throws TraitsValidationError with Kratos-style messages when the traits do not match.
   * @throws IdentitySchemaError when the schema id is unknown.
   */
  validateTraits(schemaId: string, traits: unknown): TraitsExtensions {
    const schema = this.byId.get(schemaId);
    if (!schema) throw new IdentitySchemaError(`Identity schema "${schemaId}" does not exist.`);
    collecting = [];
    let found: { value: unknown; ext: KratosExtension; instancePath: string }[];
    try {
      const ok = schema.validate({ traits });
      found = collecting;
      if (!ok) throw new TraitsValidationError(toViolations(schema.validate.errors ?? [], { traits }));
    } finally {
      collecting = undefined;
    }
    const tooLong = found.filter((f) => typeof f.value === 'string' && f.value.length > MAX_IDENTIFIER_LENGTH);
    if (tooLong.length > 0) {
      throw new TraitsValidationError(
        tooLong.map((f) => ({ instancePath: f.instancePath, keyword: 'maxLength', message: `length must be <= ${MAX_IDENTIFIER_LENGTH}, but got ${(f.value as string).length}` })),
      );
    }
    return extensionsOf(found);
  }
}

/**
 * Compiled validators by schema document (its JSON text), shared by every realm whose schema is the same
 * document — most realms use the installation's default schema, and compiling one (a fresh Ajv with its
 * formats) costs tens of milliseconds on every realm build. A validator is pure (the extension keyword
 * only records into the per-run `collecting`), so sharing it is safe. At most
 * {@link VALIDATOR_CACHE_SIZE} documents are kept; the least recently used is dropped beyond.
 */
const validators = new Map<string, ValidateFunction>();
export const VALIDATOR_CACHE_SIZE = 256;

/**
 * Checks identity schemas against the JSON Schema meta-schema, for every schema of every realm: one
 * validator per process, compiled once without ajv's code optimisation (it runs once per schema; compiling
 * the meta-schema in each schema's own Ajv instance was most of a schema's boot cost, issue 16).
 * Same options and message as ajv's own check (`schema is invalid: …`).
 */
const metaSchemaChecker = lazy(() => {
  const meta = new Ajv({ allErrors: true, strict: false, code: { optimize: false } });
  return (schema: object): void => {
    if (!meta.validateSchema(schema)) throw new Error(`schema is invalid: ${meta.errorsText(meta.errors)}`);
  };
});

function compile(source: IdentitySchemaSource): CompiledSchema {
  const text = readSource(source);
  const raw = parseSource(source, text);
  const traits = (raw.properties as Record<string, { type?: unknown; properties?: unknown }> | undefined)?.traits;
  if (!traits || traits.type !== 'object' || typeof traits.properties !== 'object' || traits.properties === null) {
    throw new IdentitySchemaError(`identity schema "${source.id}": properties.traits must be an object schema with properties`);
  }
  let validate = validators.get(text);
  if (validate) {
    validators.delete(text);
  } else {
    validate = compileValidator(source, raw);
    if (validators.size >= VALIDATOR_CACHE_SIZE) validators.delete(validators.keys().next().value as string);
  }
  validators.set(text, validate);
  return { id: source.id, url: source.url, raw, validate };
}

function compileValidator(source: IdentitySchemaSource, raw: Record<string, unknown>): ValidateFunction {
  // The meta-schema check is metaSchemaChecker's, before compiling.
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: true, validateSchema: false });
  addFormats(ajv);
  // E.164-style phone numbers, as Kratos's `tel` format accepts.
  ajv.addFormat('tel', /^\+[1-9]\d{6,14}$/);
  ajv.addKeyword({
    keyword: AJV_KEYWORD,
    schemaType: 'object',
    validate: (ext: KratosExtension, value: unknown, _parent?: unknown, cxt?: { instancePath: string }) => {
      collecting?.push({ value, ext, instancePath: cxt?.instancePath ?? '' });
      return true;
    },
  });
  try {
    const copy = renameExtension(structuredClone(raw)) as Record<string, unknown>;
    delete copy.$id;
    metaSchemaChecker()(copy);
    return ajv.compile(copy);
  } catch (e) {
    throw new IdentitySchemaError(`identity schema "${source.id}": does not compile (${(e as Error).message})`);
  }
}

/** The schema document's text. */
function readSource(source: IdentitySchemaSource): string {
  if (source.url.startsWith('base64://')) return Buffer.from(source.url.slice('base64://'.length), 'base64').toString('utf8');
  if (source.url.startsWith('file://')) {
    try {
      return readFileSync(source.url.slice('file://'.length), 'utf8');
    } catch (e) {
      throw new IdentitySchemaError(`identity schema "${source.id}": cannot read ${source.url} (${(e as NodeJS.ErrnoException).code})`);
    }
  }
  throw new IdentitySchemaError(`identity schema "${source.id}": url must start with file:// or base64://`);
}

function parseSource(source: IdentitySchemaSource, text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
    return parsed as Record<string, unknown>;
  } catch (e) {
    throw new IdentitySchemaError(`identity schema "${source.id}": not valid JSON (${(e as Error).message})`);
  }
}

function renameExtension(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(renameExtension);
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(
    Object.entries(node).map(([k, v]) => [k === EXTENSION_KEY ? AJV_KEYWORD : k, k === EXTENSION_KEY ? v : renameExtension(v)]),
  );
}

function toViolations(errors: ErrorObject[], doc: unknown): TraitsViolation[] {
  return errors.map((e) => {
    const value = pointerGet(doc, e.instancePath);
    const schemaPath = e.schemaPath.replace(/^#/, '');
    const text =
      e.keyword === 'format'
        ? `${JSON.stringify(value)} is not valid ${JSON.stringify((e.params as { format: string }).format)}`
        : e.keyword === 'required'
          ? `missing properties: ${JSON.stringify((e.params as { missingProperty: string }).missingProperty)}`
          : e.keyword === 'additionalProperties'
            ? `additionalProperties ${JSON.stringify((e.params as { additionalProperty: string }).additionalProperty)} not allowed`
            : (e.message ?? 'is invalid');
    return { instancePath: e.instancePath, keyword: e.keyword, message: `S[#${schemaPath}] ${text}` };
  });
}

function pointerGet(doc: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
}

function extensionsOf(found: readonly { value: unknown; ext: KratosExtension }[]): TraitsExtensions {
  const identifiers = new Map<CredentialsType, string[]>();
  const verifiable: { value: string; via: AddressVia }[] = [];
  const recovery: { value: string; via: AddressVia }[] = [];
  let totpAccountName: string | undefined;
  const push = <T extends { value: string }>(list: T[], item: T): void => {
    if (!list.some((x) => x.value === item.value && JSON.stringify(x) === JSON.stringify(item))) list.push(item);
  };
  for (const { value, ext } of found) {
    if (typeof value !== 'string' || value.trim() === '') continue;
    const normalized = normalizeIdentifier(value);
    for (const [type, settings] of Object.entries(ext.credentials ?? {}) as [CredentialsType, { identifier?: boolean; account_name?: boolean }][]) {
      if (settings?.identifier) {
        const list = identifiers.get(type) ?? [];
        if (!list.includes(normalized)) list.push(normalized);
        identifiers.set(type, list);
      }
      if (type === 'totp' && settings?.account_name) totpAccountName ??= value;
    }
    const via = (v?: string): AddressVia | undefined => (v === 'email' ? 'email' : v === 'sms' || v === 'phone' ? 'sms' : undefined);
    const vVia = via(ext.verification?.via);
    if (vVia) push(verifiable, { value: normalized, via: vVia });
    const rVia = via(ext.recovery?.via);
    if (rVia) push(recovery, { value: normalized, via: rVia });
  }
  return { identifiers, verifiable, recovery, totpAccountName };
}

export interface IdentitySchemasProvider {
  readonly identitySchemas: IdentitySchemas;
}
