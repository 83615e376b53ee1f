import type { ForcedSubjectStore } from '../../oauth2/consent';
import type { Ctx } from '../../x';
import type { Persistence } from '../persistence';
import { upsertSql } from '../raw-sql';
import { rawTimeParam } from '../raw-values';

/** `ForcedSubjectStore` on `oauth2_forced_subjects` (raw statements: read on every pairwise ID token). */
export class TypeormForcedSubjectStore implements ForcedSubjectStore {
  private readonly upsertSql: string;

  constructor(private readonly persistence: Persistence) {
    this.upsertSql = upsertSql(persistence.dialect, 'oauth2_forced_subjects', ['nid', 'subject', 'client_id'], ['forced_subject', 'updated_at']);
  }

  async put(ctx: Ctx, subject: string, clientId: string, forced: string): Promise<void> {
    await this.persistence.execute(this.upsertSql, [ctx.realm, subject, clientId, forced, rawTimeParam(this.persistence.dialect, new Date())], ctx.tx);
  }

  async get(ctx: Ctx, subject: string, clientId: string): Promise<string | undefined> {
    const [row] = await this.persistence.read('SELECT forced_subject FROM oauth2_forced_subjects WHERE nid = ? AND subject = ? AND client_id = ?', [ctx.realm, subject, clientId], ctx.tx);
    return row ? String(row.forced_subject) : undefined;
  }
}
