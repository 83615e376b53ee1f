import { badRequest, notFound } from '../http';
import { type Clock, type Ctx, inRealm, isUuid, newId } from '../x';
import { type ProjectApiKey, type ProjectApiKeyWire, hashProjectApiKey, newProjectApiKeyValue } from './project-api-key';
import type { ProjectApiKeyStore } from './project-api-key-store';
import type { ProjectDirectory, ProjectRef } from './project-directory';

export interface ProjectApiKeyServiceDeps {
  readonly projectDirectory: ProjectDirectory;
  readonly projectApiKeyStore: ProjectApiKeyStore;
  readonly clock: Clock;
}

/** The longest key name accepted (the column is 255 characters). */
const NAME_MAX = 255;

/**
 * Creates, lists and deletes a project's API keys (`/projects/{project}/tokens`). Invariants: a value is
 * returned once, by `create`, and only its SHA-256 is stored; every store call runs in the project's
 * realm; a deleted key is gone from the database when `delete` resolves (no process caches a key).
 * Errors are `OryError`s: 404 unknown project or key, 400 a missing or bad name.
 */
export class ProjectApiKeyService {
  constructor(private readonly deps: ProjectApiKeyServiceDeps) {}

  async create(ctx: Ctx, project: string, body: unknown): Promise<ProjectApiKeyWire> {
    const name = keyName(body);
    const ref = await this.project(ctx, project);
    const value = newProjectApiKeyValue();
    const key: ProjectApiKey = {
      id: newId(),
      realm: ref.slug,
      name,
      ownerId: ctx.actor?.id ?? 'admin',
      keyHash: hashProjectApiKey(value),
      createdAt: this.deps.clock.now(),
    };
    const scoped = inRealm(ctx, ref.slug);
    await this.deps.projectApiKeyStore.create(scoped, key);
    scoped.logger.info({ project_id: ref.id, key_id: key.id }, 'project API key created');
    return { ...toWire(key, ref), value };
  }

  async list(ctx: Ctx, project: string): Promise<ProjectApiKeyWire[]> {
    const ref = await this.project(ctx, project);
    return (await this.deps.projectApiKeyStore.list(inRealm(ctx, ref.slug))).map((key) => toWire(key, ref));
  }

  /** @throws OryError 404 when the project has no key `id`; once this resolves the key works nowhere. */
  async delete(ctx: Ctx, project: string, id: string): Promise<void> {
    const ref = await this.project(ctx, project);
    const scoped = inRealm(ctx, ref.slug);
    if (!isUuid(id) || !(await this.deps.projectApiKeyStore.delete(scoped, id.toLowerCase()))) throw notFound('The project has no API key with that id.');
    scoped.logger.info({ project_id: ref.id, key_id: id }, 'project API key deleted');
  }

  private async project(ctx: Ctx, project: string): Promise<ProjectRef> {
    const ref = await this.deps.projectDirectory.get(ctx, project);
    if (!ref) throw notFound(`No project has the id ${JSON.stringify(project.slice(0, 64))}.`);
    return ref;
  }
}

function keyName(body: unknown): string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('name: is required (a JSON object {"name": "..."})');
  const name = (body as Record<string, unknown>).name;
  if (typeof name !== 'string' || name.trim() === '') throw badRequest('name: is required and must be a non-empty string');
  if (name.length > NAME_MAX) throw badRequest(`name: must be at most ${NAME_MAX} characters`);
  return name;
}

function toWire(key: ProjectApiKey, ref: ProjectRef): ProjectApiKeyWire {
  return { id: key.id, name: key.name, owner_id: key.ownerId, project_id: ref.id };
}
