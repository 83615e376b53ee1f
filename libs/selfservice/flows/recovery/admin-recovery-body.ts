import { Allow, IsOptional, IsString } from '../../../http/class-validator';

/**
 * `AdminCreateSelfServiceRecoveryLinkBody` / `...CodeBody`: `identity_id` is checked by the service
 * (unknown identity → 400 for links, 404 for codes, as Kratos answers), `expires_in` is a Go duration.
 */
export class AdminRecoveryBody {
  @Allow() identity_id!: unknown;
  @IsOptional() @IsString() expires_in?: string;
}
