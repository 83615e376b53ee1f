import { type Operation, JsonPatchError, applyPatch } from 'fast-json-patch';
import { type RealmConfig, realmConfigFileForm, realmNameProblem } from '../config';
import { OryError, badRequest, conflict, forbidden, notFound } from '../http';
import { type Clock, type Ctx, type TransactionRunner, inRealm, isUuid, newId } from '../x';
import { DEFAULT_PROJECT_SLUG, type ProjectRecord } from './project';
import type { ProjectRef } from './project-directory';
import { type ProjectMemberStore, operatorIdentityOf } from './project-member';
import { ProjectExistsError, type ProjectStore } from './project-store';
import {
  type ProjectServiceName,
  type ProjectWarning,
  fileUrls,
  importServiceConfig,
  isPlainObject,
  minimalOverrides,
  permissionWarning,
  qualifyConfigMessage,
  serverFileKeys,
  splitByService,
  withoutService,
} from './project-config';
import { slugFromName, slugWithSuffix } from './project-slug';

/** Longest project name accepted. */
export const MAX_PROJECT_NAME = 255;

/**
 * What the project service needs of the realms (`RealmConfigService` and the default realm, wired in
 * `libs/registry/wire-projects.ts`). Methods taking a ctx join its transaction.
 */
export interface ProjectRealms {
  /** True when a realm of that name is stored. */
  exists(ctx: Ctx, name: string): Promise<boolean>;
  /** The names of every stored realm. */
  names(ctx: Ctx): Promise<string[]>;
  /** Stores the realm with `overrides`, validated. @throws OryError 400 (invalid), 409 (name taken) */
  create(ctx: Ctx, name: string, overrides: Readonly<Record<string, unknown>>): Promise<void>;
  /** The realm's stored overrides; `undefined` when it is not stored. */
  overrides(ctx: Ctx, name: string): Promise<Readonly<Record<string, unknown>> | undefined>;
  /** The configuration the realm would have with `overrides` (schema and cross-key rules only). @throws OryError 400 naming the key */
  parse(name: string, overrides: Readonly<Record<string, unknown>>): RealmConfig;
  /** Replaces the realm's overrides once they proved to build a realm (a new realm revision). @throws OryError 400, 404 */
  replace(ctx: Ctx, name: string, overrides: Readonly<Record<string, unknown>>): Promise<void>;
  /** Deletes the realm and every row tagged with it (the project record too); false when it was not stored. */
  delete(ctx: Ctx, name: string): Promise<boolean>;
  /** This process stops serving its cached copy of the realm (after a committed change). */
  invalidate(name: string): void;
  /** The default realm's configuration (files and environment). */
  defaultConfig(): RealmConfig;
  /** The public host names the realm is reached at. */
  hosts(name: string): string[];
}

export interface ProjectServiceDeps {
  readonly projectStore: ProjectStore;
  readonly projectRealms: ProjectRealms;
  readonly projectMemberStore: ProjectMemberStore;
  readonly transactions: TransactionRunner;
  readonly clock: Clock;
}

/** A project as the API shows it (`Project` plus the metadata of `ProjectMetadata`). */
export interface ProjectView {
  readonly id: string;
  readonly name: string;
  readonly slug: string;
  readonly state: 'running';
  readonly revision_id: string;
  readonly hosts: string[];
  readonly created_at: Date;
  readonly updated_at: Date;
  /** The effective configuration per service (file form: every default filled in, durations as text). */
  readonly services: {
    readonly identity: { readonly config: Record<string, unknown> };
    readonly oauth2: { readonly config: Record<string, unknown> };
    readonly permission?: { readonly config: Readonly<Record<string, unknown>> };
  };
}

/** A project as `GET /projects` lists it (`ProjectMetadata`): everything but the configuration. */
export type ProjectSummary = Omit<ProjectView, 'services'>;

/** The outcome of a replace or patch (`SuccessfulProjectUpdate`). */
export interface ProjectUpdate {
  readonly project: ProjectView;
  readonly warnings: ProjectWarning[];
}

/** Keys of the project document besides `name` and `services`; they may be sent back but never change. */
const READ_ONLY = ['id', 'slug', 'state', 'revision_id', 'hosts', 'created_at', 'updated_at', 'subscription_id'] as const;
const SERVICES = ['identity', 'oauth2', 'permission'] as const;

/**
 * Ory Network's project API over stored realms: a project is the realm of its slug plus a control-plane
 * record ({@link ProjectRecord}). Invariants: a project record and its realm are created and deleted
 * together, in one transaction (all or nothing); an update changes the realm's configuration and the
 * record in one transaction with the record's row locked, so concurrent updates (and patches) all apply
 * in turn and none is lost; an invalid configuration changes nothing (400 naming the key); `revision_id`
 * changes on every successful update. Every stored realm is a project: a realm stored without one (through
 * `/admin/realms` or the CLI) is given its record when first listed or read by slug; deleting a realm by
 * any API deletes its record (the record is tagged with the realm). The default project (realm `default`) is configured by files:
 * it is listed and readable, but cannot be replaced, patched or purged (403).
 * An operator signed in with a session of the default realm (`ctx.actor` of kind `identity`, see
 * {@link operatorIdentityOf}) sees only the projects it is a member of: every other project is a 404 to
 * it, whatever the method; the project it creates has it as its first member (same transaction). Any
 * other caller (an operator key, the CLI, an open admin plane) sees every project.
 */
export class ProjectService {
  constructor(private readonly deps: ProjectServiceDeps) {}

  /**
   * Every project the caller may see (a session's operator: those it is a member of), oldest first, without
   * configurations: listing reads no realm configuration.
   */
  async list(ctx: Ctx): Promise<ProjectSummary[]> {
    const operator = operatorIdentityOf(ctx);
    if (operator !== undefined) {
      const mine = new Set(await this.deps.projectMemberStore.projectsOf(ctx, operator));
      const records = (await this.deps.projectStore.list(ctx)).filter((r) => mine.has(r.slug));
      return records.map((record) => this.summary(record));
    }
    let records = await this.deps.projectStore.list(ctx);
    const known = new Set(records.map((r) => r.slug));
    const unknown = (await this.deps.projectRealms.names(ctx)).filter((name) => !known.has(name));
    if (unknown.length > 0) {
      for (const name of unknown) await this.adopt(ctx, name);
      records = await this.deps.projectStore.list(ctx);
    }
    return records.map((record) => this.summary(record));
  }

  /** A project by id (or slug). @throws OryError 404 */
  async get(ctx: Ctx, idOrSlug: string): Promise<ProjectView> {
    return this.view(ctx, await this.record(ctx, idOrSlug));
  }

  /**
   * Gives a realm stored without a project (`POST /admin/realms`, `tessera realms create`) its project
   * record, named after the realm, so every realm is a project. Concurrent adoptions agree: the unique
   * slug lets one insert win and the others find its record.
   */
  private async adopt(ctx: Ctx, slug: string): Promise<ProjectRecord | undefined> {
    const now = this.deps.clock.now();
    const record: ProjectRecord = { id: newId(), slug, name: slug, revision_id: newId(), permission_config: null, created_at: now, updated_at: now };
    try {
      await this.deps.transactions.withTransaction(ctx, async (tx) => {
        // The realm may have been deleted since it was listed: no record without its realm.
        if (await this.deps.projectRealms.exists(tx, slug)) await this.deps.projectStore.insert(tx, record);
      });
    } catch (error) {
      if (!(error instanceof ProjectExistsError)) throw error;
    }
    return this.deps.projectStore.get(ctx, slug);
  }

  /**
   * Creates a project named `name` and its realm, whose slug is derived from the name
   * ({@link slugFromName}); when that slug is taken or reserved, a random suffix is added (up to five tries).
   * @throws OryError 400 (bad name), 409 (no free slug found)
   */
  async create(ctx: Ctx, name: unknown): Promise<ProjectView> {
    const checked = checkName(name);
    const base = slugFromName(checked);
    for (let attempt = 0; attempt < 5; attempt++) {
      const slug = attempt === 0 ? base : slugWithSuffix(base);
      if (realmNameProblem(slug) || (await this.deps.projectRealms.exists(ctx, slug)) || (await this.deps.projectStore.get(ctx, slug))) continue;
      const now = this.deps.clock.now();
      const record: ProjectRecord = { id: newId(), slug, name: checked, revision_id: newId(), permission_config: null, created_at: now, updated_at: now };
      try {
        await this.deps.transactions.withTransaction(ctx, async (tx) => {
          await this.deps.projectRealms.create(tx, slug, {});
          await this.deps.projectStore.insert(tx, record);
          const operator = operatorIdentityOf(ctx);
          if (operator !== undefined) await this.deps.projectMemberStore.add(inRealm(tx, slug), operator, now);
        });
      } catch (error) {
        // Taken between the check and the insert: try another slug.
        if (error instanceof ProjectExistsError || (error instanceof OryError && error.code === 409)) continue;
        throw error;
      }
      ctx.logger.info({ project_id: record.id, slug }, 'project created');
      return this.view(ctx, record);
    }
    throw conflict(`no free slug found for the project name ${JSON.stringify(checked)}; try another name`);
  }

  /**
   * `PUT /projects/{id}`: `name` replaces the name; each service named in `services` replaces that part
   * of the configuration (`identity`: Kratos' keys, `oauth2`: Hydra's; `permission` is kept, not applied).
   * @throws OryError 400 (bad body or configuration, naming the key), 403 (default project), 404
   */
  async replace(ctx: Ctx, id: string, body: unknown): Promise<ProjectUpdate> {
    return this.update(ctx, id, () => body);
  }

  /**
   * `PATCH /projects/{id}`: RFC 6902 operations on the project document (as `GET` shows it, every default
   * filled in), then applied like {@link replace} with every service named — in the same transaction as
   * the read, so concurrent patches apply one after the other.
   * @throws OryError 400 (bad operations, bad result), 403 (default project), 404
   */
  async patch(ctx: Ctx, id: string, operations: unknown): Promise<ProjectUpdate> {
    if (!Array.isArray(operations) || !operations.every(isPlainObject)) throw badRequest('The request body must be a JSON array of JSON Patch operations.');
    return this.update(ctx, id, (current) => {
      try {
        return applyPatch(structuredClone(current), operations as unknown as Operation[], true, false).newDocument;
      } catch (error) {
        if (error instanceof JsonPatchError) throw badRequest(`The JSON Patch could not be applied: ${error.message.split('\n')[0]}`);
        throw error;
      }
    });
  }

  /**
   * Deletes the project, its realm and every row of the realm in every table, in one transaction.
   * @throws OryError 403 (default project), 404
   */
  async purge(ctx: Ctx, id: string): Promise<void> {
    const record = await this.record(ctx, id);
    assertNotDefault(record, 'purged');
    await this.deps.transactions.withTransaction(ctx, async (tx) => {
      // Deleting the realm deletes the record too (it carries the realm); the record alone is a leftover.
      const realm = await this.deps.projectRealms.delete(tx, record.slug);
      const leftover = await this.deps.projectStore.delete(tx, record.id);
      if (!realm && !leftover) throw notFound(`project ${record.id} does not exist`);
    });
    this.deps.projectRealms.invalidate(record.slug);
    ctx.logger.info({ project_id: record.id, slug: record.slug }, 'project purged');
  }

  private async update(ctx: Ctx, id: string, next: (current: Record<string, unknown>) => unknown): Promise<ProjectUpdate> {
    const outcome = await this.deps.transactions.withTransaction(ctx, async (tx) => {
      const found = isUuid(id) ? await this.deps.projectStore.getForUpdate(tx, id) : undefined;
      const record = found && (await this.visible(tx, found)) ? found : undefined;
      if (!record) throw notFound(`project ${JSON.stringify(id.slice(0, 64))} does not exist`);
      assertNotDefault(record, 'changed');
      const overrides = (await this.deps.projectRealms.overrides(tx, record.slug)) ?? {};
      const current = this.document(record, this.effective(record.slug, overrides));
      const body = next(structuredClone(current) as unknown as Record<string, unknown>);
      const { name, services } = readDocument(body, record);

      const warnings: ProjectWarning[] = [];
      let merged: Record<string, unknown> = { ...overrides };
      for (const service of ['identity', 'oauth2'] as const) {
        const given = services[service];
        if (given === undefined) continue;
        const imported = importServiceConfig(service, given.config);
        warnings.push(...imported.warnings);
        merged = { ...withoutService(merged, service), ...imported.config };
      }
      let permission = record.permission_config;
      if (services.permission !== undefined) {
        if (!isPlainObject(services.permission.config)) throw badRequest('services.permission.config: must be a JSON object');
        permission = services.permission.config;
        warnings.push(permissionWarning());
      }
      if (services.identity !== undefined || services.oauth2 !== undefined) {
        const defaults = this.fileForm(record.slug, {});
        const stored = minimalOverrides(this.fileForm(record.slug, merged), defaults);
        const files = serverFileKeys(stored, fileUrls(defaults));
        if (files.length > 0) {
          throw badRequest(`${files.join(', ')}: the project API does not accept file:// URLs or template_override_path (they read the server's files); use base64:// URLs`);
        }
        await this.withQualifiedErrors(() => this.deps.projectRealms.replace(tx, record.slug, stored));
      }
      const change = { name, revision_id: newId(), permission_config: permission };
      const now = this.deps.clock.now();
      await this.deps.projectStore.update(tx, record.id, change, now);
      // Read inside the transaction: the answer shows this update's revision, not a later concurrent one.
      return { project: await this.view(tx, { ...record, ...change, updated_at: now }), warnings };
    });
    this.deps.projectRealms.invalidate(outcome.project.slug);
    ctx.logger.info({ project_id: id, revision_id: outcome.project.revision_id, warnings: outcome.warnings.length }, 'project updated');
    return outcome;
  }

  /** The id and slug of the project `idOrSlug` names (as {@link get} finds it), or `undefined` when none does. */
  async ref(ctx: Ctx, idOrSlug: string): Promise<ProjectRef | undefined> {
    const record = await this.find(ctx, idOrSlug);
    return record ? { id: record.id, slug: record.slug } : undefined;
  }

  private async find(ctx: Ctx, idOrSlug: string): Promise<ProjectRecord | undefined> {
    let record = await this.deps.projectStore.get(ctx, idOrSlug);
    if (!record && !isUuid(idOrSlug) && (await this.deps.projectRealms.exists(ctx, idOrSlug))) record = await this.adopt(ctx, idOrSlug);
    return record && (await this.visible(ctx, record)) ? record : undefined;
  }

  /** True unless the caller is a session's operator that is not a member of the project. */
  private async visible(ctx: Ctx, record: ProjectRecord): Promise<boolean> {
    const operator = operatorIdentityOf(ctx);
    return operator === undefined || this.deps.projectMemberStore.has(inRealm(ctx, record.slug), operator);
  }

  private async record(ctx: Ctx, idOrSlug: string): Promise<ProjectRecord> {
    const record = await this.find(ctx, idOrSlug);
    if (!record) throw notFound(`project ${JSON.stringify(idOrSlug.slice(0, 64))} does not exist`);
    return record;
  }

  private async view(ctx: Ctx, record: ProjectRecord): Promise<ProjectView> {
    const config =
      record.slug === DEFAULT_PROJECT_SLUG
        ? realmConfigFileForm(this.deps.projectRealms.defaultConfig())
        : this.effective(record.slug, (await this.deps.projectRealms.overrides(ctx, record.slug)) ?? {});
    return { ...this.summary(record), services: this.document(record, config).services };
  }

  private summary(record: ProjectRecord): ProjectSummary {
    const { id, name, slug, revision_id, created_at, updated_at } = record;
    return { id, name, slug, state: 'running', revision_id, hosts: this.deps.projectRealms.hosts(slug), created_at, updated_at };
  }

  private document(record: ProjectRecord, config: Record<string, unknown>): Omit<ProjectView, 'hosts' | 'created_at' | 'updated_at'> {
    const split = splitByService(config);
    return {
      id: record.id,
      name: record.name,
      slug: record.slug,
      state: 'running',
      revision_id: record.revision_id,
      services: {
        identity: { config: split.identity },
        oauth2: { config: split.oauth2 },
        ...(record.permission_config ? { permission: { config: record.permission_config } } : {}),
      },
    };
  }

  /** The effective configuration of a stored realm in file form; a stored configuration that no longer parses shows as stored. */
  private effective(slug: string, overrides: Readonly<Record<string, unknown>>): Record<string, unknown> {
    try {
      return this.fileForm(slug, overrides);
    } catch {
      return { ...overrides };
    }
  }

  private fileForm(slug: string, overrides: Readonly<Record<string, unknown>>): Record<string, unknown> {
    return realmConfigFileForm(this.qualified(() => this.deps.projectRealms.parse(slug, overrides)));
  }

  private qualified<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw qualifyError(error);
    }
  }

  private async withQualifiedErrors<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw qualifyError(error);
    }
  }
}

function qualifyError(error: unknown): unknown {
  if (error instanceof OryError && error.code === 400 && error.reason) return badRequest(qualifyConfigMessage(error.reason));
  return error;
}

function assertNotDefault(record: ProjectRecord, what: string): void {
  if (record.slug === DEFAULT_PROJECT_SLUG) {
    throw forbidden(`the default project cannot be ${what} through the API: the configuration file and environment configure it`);
  }
}

/** @throws OryError 400 unless `name` is a string of 1–255 characters without control characters (trimmed) */
function checkName(name: unknown): string {
  if (typeof name !== 'string') throw badRequest('name: is required and must be a string');
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_PROJECT_NAME) throw badRequest(`name: must be 1 to ${MAX_PROJECT_NAME} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) throw badRequest('name: must not contain control characters');
  return trimmed;
}

/** The `name` and `services` of an update body (`UpdateProject`, or a patched project document). @throws OryError 400 */
function readDocument(body: unknown, record: ProjectRecord): { name: string; services: Partial<Record<ProjectServiceName | 'permission', { config: unknown }>> } {
  if (!isPlainObject(body)) throw badRequest('The request body must be a JSON object.');
  const allowed = ['name', 'services', ...READ_ONLY];
  const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw badRequest(`unknown keys in the request body: ${unknown.join(', ')} (allowed: name, services)`);
  if (body.id !== undefined && body.id !== record.id) throw badRequest('id: is read-only');
  if (body.slug !== undefined && body.slug !== record.slug) throw badRequest('slug: is read-only');
  if (body.state !== undefined && body.state !== 'running') throw badRequest('state: only "running" is supported');
  const name = checkName(body.name);
  if (!isPlainObject(body.services)) throw badRequest('services: is required and must be a JSON object');
  const services: Partial<Record<ProjectServiceName | 'permission', { config: unknown }>> = {};
  for (const [key, value] of Object.entries(body.services)) {
    if (!(SERVICES as readonly string[]).includes(key)) throw badRequest(`services.${key}: is not a service (services: ${SERVICES.join(', ')})`);
    if (!isPlainObject(value) || !('config' in value)) throw badRequest(`services.${key}: must be a JSON object with "config"`);
    services[key as ProjectServiceName | 'permission'] = { config: value.config };
  }
  return { name, services };
}
