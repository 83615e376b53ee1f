import { IsNull } from 'typeorm';
import type { SelfServiceToken, TokenKind, TokenStore } from '../../selfservice/flow';
import type { Ctx } from '../../x';
import type { Persistence } from '../persistence';
import { TokenSchema } from '../schemas/token.schema';

/** `TokenStore` on `selfservice_tokens`; `markUsed` is a conditional UPDATE, so a secret works once. */
export class TypeormTokenStore implements TokenStore {
  constructor(private readonly persistence: Persistence) {}

  async create(ctx: Ctx, t: SelfServiceToken): Promise<void> {
    await this.persistence.manager(ctx.tx).getRepository(TokenSchema).insert({
      nid: ctx.realm,
      id: t.id,
      kind: t.kind,
      flow_id: t.flowId,
      identity_id: t.identityId,
      address: t.address,
      secret_hash: t.secretHash,
      expires_at: t.expiresAt,
      used_at: null,
      created_at: t.createdAt,
    });
  }

  async findUnused(ctx: Ctx, kind: TokenKind, flowId: string): Promise<SelfServiceToken[]> {
    const rows = await this.persistence.manager(ctx.tx).getRepository(TokenSchema).find({ where: { nid: ctx.realm, kind, flow_id: flowId, used_at: IsNull() }, order: { created_at: 'DESC' } });
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind as TokenKind,
      flowId: r.flow_id,
      identityId: r.identity_id,
      address: r.address,
      secretHash: r.secret_hash,
      expiresAt: r.expires_at,
      createdAt: r.created_at,
    }));
  }

  async markUsed(ctx: Ctx, id: string, at: Date): Promise<boolean> {
    const result = await this.persistence.manager(ctx.tx).getRepository(TokenSchema).update({ nid: ctx.realm, id, used_at: IsNull() }, { used_at: at } as never);
    return (result.affected ?? 0) === 1;
  }
}
