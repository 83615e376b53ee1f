import { IsArray, IsBoolean, IsISO8601, IsObject, IsOptional, IsString, MaxLength } from '../../http/class-validator';

/**
 * `AdminTrustOAuth2JwtGrantIssuerBody` for `POST /admin/trust/grants/jwt-bearer/issuers` (flat, as
 * architecture B8 asks). Every field is optional here so that `validateTrustGrant` can answer a
 * missing one with Hydra's own message; the JWK itself is checked as JSON by the keys library.
 */
export class TrustJwtGrantIssuerBody {
  @IsOptional() @IsString() @MaxLength(255) issuer?: string;
  @IsOptional() @IsString() @MaxLength(255) subject?: string;
  @IsOptional() @IsBoolean() allow_any_subject?: boolean;
  @IsOptional() @IsArray() @IsString({ each: true }) @MaxLength(255, { each: true }) scope?: string[];
  @IsOptional() @IsObject() jwk?: Record<string, unknown>;
  @IsOptional() @IsISO8601({ strict: true }) expires_at?: string;
}
