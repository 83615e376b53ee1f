/** The id of the default project: the file-configured realm `default`, whose record migration 17 writes. */
export const DEFAULT_PROJECT_ID = '51d8e9f3-3bc8-49c2-b47f-4451d52e6521';

/** The slug (and realm) of the default project. */
export const DEFAULT_PROJECT_SLUG = 'default';

/**
 * A project's control-plane record (the `projects` table). The project *is* the realm named `slug`: its
 * configuration and data live there; the record adds the stable id, the display name, the revision id
 * the API shows and the Ory Keto (`permission`) configuration, which is kept but not applied.
 */
export interface ProjectRecord {
  readonly id: string;
  /** The realm name (column `nid`), unique; a DNS label. */
  readonly slug: string;
  readonly name: string;
  /** Changes on every successful update (a new UUID per revision). */
  readonly revision_id: string;
  /** `services.permission.config` as last given, or null. */
  readonly permission_config: Readonly<Record<string, unknown>> | null;
  readonly created_at: Date;
  readonly updated_at: Date;
}

