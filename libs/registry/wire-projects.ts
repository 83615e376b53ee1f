import { type ProcessConfig, type RealmConfig, realmNameProblem } from '../config';
import { TypeormProjectStore } from '../persistence';
import { type ProjectMemberStore, type ProjectRealms, ProjectService } from '../project';
import type { Platform } from './platform';
import { realmBaseUrl } from './realm-address';
import type { RealmConfigService } from './realm-config-service';

export interface ProjectWiringInput {
  readonly platform: Platform;
  readonly process: ProcessConfig;
  /** The default realm's configuration (files and environment): the default project's. */
  readonly defaultRealm: RealmConfig;
  readonly realmConfigService: RealmConfigService;
  /** Drops this process's cached copy of a realm. */
  readonly invalidate: (name: string) => void;
  readonly projectMemberStore: ProjectMemberStore;
}

/**
 * Projects (process-wide control plane, like realms): the project store on the platform's database and
 * the project service over the stored realms (`RealmConfigService`, the realm store's all-tables delete).
 */
export function wireProjects(input: ProjectWiringInput): ProjectService {
  const { platform, process, realmConfigService } = input;
  const realms: ProjectRealms = {
    exists: async (ctx, name) => realmNameProblem(name) === undefined && (await platform.realmStore.get(ctx, name)) !== undefined,
    names: async (ctx) => (await platform.realmStore.list(ctx)).map((realm) => realm.name),
    create: async (ctx, name, overrides) => {
      await realmConfigService.create(ctx, name, overrides);
    },
    overrides: async (ctx, name) => (await platform.realmStore.get(ctx, name))?.config,
    parse: (name, overrides) => realmConfigService.parse(name, overrides),
    replace: async (ctx, name, overrides) => {
      await realmConfigService.update(ctx, name, overrides);
    },
    delete: (ctx, name) => platform.realmStore.delete(ctx, name),
    invalidate: input.invalidate,
    defaultConfig: () => input.defaultRealm,
    hosts: (name) => [new URL(name === 'default' ? process.serve.public.base_url : realmBaseUrl(process.serve.public, name)).host],
  };
  return new ProjectService({
    projectStore: new TypeormProjectStore(platform.persistence),
    projectRealms: realms,
    projectMemberStore: input.projectMemberStore,
    transactions: platform.persistence,
    clock: platform.clock,
  });
}
