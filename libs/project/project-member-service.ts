import { badRequest, conflict, forbidden, notFound } from '../http';
import { type Clock, type Ctx, type TransactionRunner, inRealm, isUuid } from '../x';
import { DEFAULT_PROJECT_SLUG } from './project';
import type { ProjectRef } from './project-directory';
import { type CloudAccount, type OperatorAccounts, type ProjectMemberStore, operatorIdentityOf } from './project-member';
import type { ProjectStore } from './project-store';

export interface ProjectMemberServiceDeps {
  /** Finds a project the caller may see (a session's operator: only the projects it is a member of). */
  readonly findProject: (ctx: Ctx, idOrSlug: string) => Promise<ProjectRef | undefined>;
  readonly projectStore: ProjectStore;
  readonly projectMemberStore: ProjectMemberStore;
  readonly operatorAccounts: OperatorAccounts;
  readonly transactions: TransactionRunner;
  readonly clock: Clock;
}

/** The longest email accepted (the identifier columns' width). */
const EMAIL_MAX = 320;

/**
 * A project's members (`/projects/{id}/members`): operator accounts, i.e. identities of the default realm.
 * Invariants: a member is always an existing identity of the default realm (the store's foreign key
 * deletes the membership with the identity); the default project has no members (it is configured by
 * files); a project that has members keeps at least one — removing the last is a 409, so a project
 * created by a session never becomes unreachable to sessions by accident (an operator key can still
 * purge it). Changes to one project's members run with the project's record locked (`getForUpdate`), so
 * two concurrent removals cannot both pass the "not the last member" check, and a session's operator
 * removed meanwhile changes nothing. An unknown project, or one the calling operator is not a member of
 * (checked again under the lock), is a 404.
 */
export class ProjectMemberService {
  constructor(private readonly deps: ProjectMemberServiceDeps) {}

  /** The project's members, oldest membership first. @throws OryError 404 */
  async list(ctx: Ctx, project: string): Promise<CloudAccount[]> {
    const ref = await this.project(ctx, project);
    const rows = await this.deps.projectMemberStore.list(inRealm(ctx, ref.slug));
    const accounts = await Promise.all(rows.map((row) => this.deps.operatorAccounts.get(ctx, row.identityId)));
    return accounts.filter((account): account is CloudAccount => account !== undefined);
  }

  /**
   * `POST /projects/{id}/members {email}`: makes the operator account with that email (a login identifier
   * or verifiable address of a default-realm identity) a member. `created` is false when it was one already.
   * @throws OryError 400 (bad body), 403 (default project), 404 (no project, or no account with that email)
   */
  async add(ctx: Ctx, project: string, body: unknown): Promise<{ account: CloudAccount; created: boolean }> {
    const email = emailOf(body);
    const ref = await this.project(ctx, project);
    if (ref.slug === DEFAULT_PROJECT_SLUG) throw forbidden('the default project has no members: operator keys manage it');
    const account = await this.deps.operatorAccounts.findByEmail(ctx, email);
    if (!account) throw notFound('No operator account has that email address: the operator must sign up in the default realm first.');
    const created = await this.deps.transactions.withTransaction(ctx, async (tx) => {
      await this.lock(tx, ref);
      return this.deps.projectMemberStore.add(inRealm(tx, ref.slug), account.id, this.deps.clock.now());
    });
    if (created) ctx.logger.info({ project_id: ref.id, member_id: account.id }, 'project member added');
    return { account, created };
  }

  /** `DELETE /projects/{id}/members/{member_id}`. @throws OryError 404 (no project or no such member), 409 (the last member) */
  async remove(ctx: Ctx, project: string, memberId: string): Promise<void> {
    const ref = await this.project(ctx, project);
    await this.deps.transactions.withTransaction(ctx, async (tx) => {
      await this.lock(tx, ref);
      const scoped = inRealm(tx, ref.slug);
      const members = await this.deps.projectMemberStore.list(scoped);
      const id = memberId.toLowerCase();
      if (!isUuid(id) || !members.some((m) => m.identityId === id)) throw notFound('The project has no member with that id.');
      if (members.length === 1) throw conflict('The last member of a project cannot be removed: add another member first, or delete the project.');
      await this.deps.projectMemberStore.remove(scoped, id);
    });
    ctx.logger.info({ project_id: ref.id, member_id: memberId }, 'project member removed');
  }

  /**
   * Locks the project's record for the rest of `tx` and checks again, under the lock, that it exists and
   * that a session's operator is still a member (it may have been removed since the project was found).
   * @throws OryError 404
   */
  private async lock(tx: Ctx, ref: ProjectRef): Promise<void> {
    const gone = notFound(`project ${ref.id} does not exist`);
    if (!(await this.deps.projectStore.getForUpdate(tx, ref.id))) throw gone;
    const operator = operatorIdentityOf(tx);
    if (operator !== undefined && !(await this.deps.projectMemberStore.has(inRealm(tx, ref.slug), operator))) throw gone;
  }

  private async project(ctx: Ctx, project: string): Promise<ProjectRef> {
    const ref = await this.deps.findProject(ctx, project);
    if (!ref) throw notFound(`project ${JSON.stringify(project.slice(0, 64))} does not exist`);
    return ref;
  }
}

function emailOf(body: unknown): string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('The request body must be a JSON object {"email": "..."}.');
  const extra = Object.keys(body).filter((k) => k !== 'email');
  if (extra.length > 0) throw badRequest(`unknown keys in the request body: ${extra.join(', ')} (allowed: email)`);
  const email = (body as { email?: unknown }).email;
  if (typeof email !== 'string' || email.trim() === '' || email.length > EMAIL_MAX || !email.includes('@')) throw badRequest('email: is required and must be an email address');
  return email.trim();
}
