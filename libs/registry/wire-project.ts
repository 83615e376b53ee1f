import type { RealmStore } from '../config';
import { AdminAuthenticator, OperatorKeys, type ProjectDirectory, ProjectApiKeyService } from '../project';
import { TypeormProjectApiKeyStore } from '../persistence';
import type { Platform } from './platform';

/**
 * A stored realm taken for a project whose id and slug are the realm's name: the stand-in
 * {@link ProjectDirectory} until the projects service (issue 15 item 1) is wired here instead.
 * The file-configured `default` realm is never stored, hence never a project.
 */
export function storedRealmProjectDirectory(realmStore: RealmStore): ProjectDirectory {
  return {
    async get(ctx, project) {
      const realm = await realmStore.get(ctx, project);
      return realm ? { id: realm.name, slug: realm.name } : undefined;
    },
  };
}

/**
 * The control plane's process-wide services (one per process, whatever realm a request names): the
 * project directory, project API keys and the admin plane's authenticator (operator keys from
 * `admin.api_keys`). Built lazily, once.
 */
export class ProjectWiring {
  private readonly memo = new Map<string, unknown>();

  constructor(private readonly platform: Platform) {}

  private once<T>(key: string, make: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, make());
    return this.memo.get(key) as T;
  }

  get projectDirectory(): ProjectDirectory {
    return this.once('projectDirectory', () => storedRealmProjectDirectory(this.platform.realmStore));
  }

  get projectApiKeyStore(): TypeormProjectApiKeyStore {
    return this.once('projectApiKeyStore', () => new TypeormProjectApiKeyStore(this.platform.persistence));
  }

  get projectApiKeyService(): ProjectApiKeyService {
    return this.once('projectApiKeyService', () => new ProjectApiKeyService({ projectDirectory: this.projectDirectory, projectApiKeyStore: this.projectApiKeyStore, clock: this.platform.clock }));
  }

  get adminAuthenticator(): AdminAuthenticator {
    return this.once('adminAuthenticator', () => new AdminAuthenticator({ operatorKeys: new OperatorKeys(this.platform.config.admin.api_keys), projectApiKeyStore: this.projectApiKeyStore }));
  }
}
