import type { Ctx } from '../x';

/**
 * An operator account as the project API shows it (Ory Network's `CloudAccount`): an identity of the
 * default realm. `email` is its `email` trait (or first email verifiable address), `name` its `name`
 * trait (a string, or `{first, last}` joined), each `''` when the identity has none.
 */
export interface CloudAccount {
  readonly id: string;
  readonly email: string;
  readonly name: string;
}

/**
 * The operator accounts (identities of the default realm), the port the members service stands on
 * (implemented in `libs/registry/wire-project.ts` over the default realm's identity pool).
 */
export interface OperatorAccounts {
  /** The account of the identity `id` of the default realm, or `undefined`. */
  get(ctx: Ctx, id: string): Promise<CloudAccount | undefined>;
  /** The account whose login identifier or verifiable address is `email` (normalised), or `undefined`. */
  findByEmail(ctx: Ctx, email: string): Promise<CloudAccount | undefined>;
}

/** A membership row: the operator `identityId` is a member of the project of the realm the store is called in. */
export interface ProjectMembership {
  readonly identityId: string;
  readonly createdAt: Date;
}

/**
 * Where memberships live (`project_members`, migration 1700000000022). Every method but
 * {@link ProjectMemberStore.projectsOf} is scoped by `ctx.realm`, the project's realm (its slug).
 * A membership of an identity that is deleted is deleted with it (foreign key, ON DELETE CASCADE).
 */
export interface ProjectMemberStore {
  /** Adds the membership; false when it existed already. @throws Error when the identity does not exist (foreign key) */
  add(ctx: Ctx, identityId: string, now: Date): Promise<boolean>;
  /** False when there was no such membership. */
  remove(ctx: Ctx, identityId: string): Promise<boolean>;
  /** The project's members, oldest first. */
  list(ctx: Ctx): Promise<ProjectMembership[]>;
  /** True when `identityId` is a member of the project. */
  has(ctx: Ctx, identityId: string): Promise<boolean>;
  /** The realms (project slugs) `identityId` is a member of — the one read across realms. */
  projectsOf(ctx: Ctx, identityId: string): Promise<string[]>;
}

/**
 * The operator (a signed-in identity of the default realm) a request acts for, when it authenticated with a
 * session; `undefined` for operator keys, project keys and an open admin plane (they see every project).
 */
export function operatorIdentityOf(ctx: Ctx): string | undefined {
  return ctx.actor?.kind === 'identity' ? ctx.actor.id : undefined;
}
