import type { IdentityPool } from '../identity';
import { AdminAuthenticator, DEFAULT_PROJECT_SLUG, OperatorKeys, type ProjectDirectory, ProjectApiKeyService, ProjectMemberService, type ProjectService } from '../project';
import { TypeormProjectApiKeyStore, TypeormProjectMemberStore, TypeormProjectStore } from '../persistence';
import type { SessionManager } from '../session';
import { operatorAccountsOf, operatorSessionsOf } from './operator-accounts';
import type { Platform } from './platform';

/** What the control plane reads from the rest of the registry (lazily: the projects service and the default realm's identities and sessions). */
export interface ProjectWiringSources {
  readonly projectService: () => ProjectService;
  readonly identityPool: () => IdentityPool;
  readonly sessionManager: () => SessionManager;
}

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
 * project directory, project API keys, project members (operator accounts: the default realm's
 * identities) and the admin plane's authenticator (operator keys from `admin.api_keys`, project API keys,
 * the default realm's sessions). Built lazily, once.
 */
export class ProjectWiring {
  private readonly memo = new Map<string, unknown>();

  constructor(
    private readonly platform: Platform,
    private readonly directory: () => ProjectDirectory,
    private readonly sources: ProjectWiringSources,
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
    return this.once(
      'adminAuthenticator',
      () =>
        new AdminAuthenticator({
          operatorKeys: new OperatorKeys(this.platform.config.admin.api_keys),
          projectApiKeyStore: this.projectApiKeyStore,
          operatorSessions: operatorSessionsOf(this.sources.sessionManager),
        }),
    );
  }

  get projectMemberStore(): TypeormProjectMemberStore {
    return this.once('projectMemberStore', () => new TypeormProjectMemberStore(this.platform.persistence));
  }

  get projectMemberService(): ProjectMemberService {
    return this.once(
      'projectMemberService',
      () =>
        new ProjectMemberService({
          findProject: (ctx, project) => this.sources.projectService().ref(ctx, project),
          projectStore: new TypeormProjectStore(this.platform.persistence),
          projectMemberStore: this.projectMemberStore,
          operatorAccounts: operatorAccountsOf(this.sources.identityPool),
          transactions: this.platform.persistence,
          clock: this.platform.clock,
        }),
    );
  }
}
