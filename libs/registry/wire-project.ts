import { AdminAuthenticator, DEFAULT_PROJECT_SLUG, OperatorKeys, type ProjectDirectory, ProjectApiKeyService, type ProjectService } from '../project';
import { TypeormProjectApiKeyStore } from '../persistence';
import type { Platform } from './platform';

/**
 * The {@link ProjectDirectory} the project API keys and the admin plane stand on: the projects service's
 * record by id or slug (a stored realm without a record is adopted, as `GET /projects/{slug}` does).
 * Invariant: the default project (the file-configured realm) is not one here — no project API key is
 * ever scoped to the default realm.
 */
export function projectDirectoryOf(projects: ProjectService): ProjectDirectory {
  return {
    async get(ctx, project) {
      const ref = await projects.ref(ctx, project);
      return ref && ref.slug !== DEFAULT_PROJECT_SLUG ? ref : undefined;
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

  constructor(
    private readonly platform: Platform,
    private readonly directory: () => ProjectDirectory,
  ) {}

  private once<T>(key: string, make: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, make());
    return this.memo.get(key) as T;
  }

  get projectDirectory(): ProjectDirectory {
    return this.once('projectDirectory', this.directory);
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
