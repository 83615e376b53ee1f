import { getMetadataStorage, Allow, IsArray, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Matches, MaxLength } from '../../http/class-validator';

const GO_DURATION = /^(\d+(\.\d+)?(ms|s|m|h))+$/;

/** The body of `PUT /admin/clients/{id}/lifespans`: the twelve lifespans, each a Go duration or null. */
export class ClientLifespansBody {
  @IsOptional() @IsString() @Matches(GO_DURATION) authorization_code_grant_access_token_lifespan?: string;
  @IsOptional() @IsString() @Matches(GO_DURATION) authorization_code_grant_id_token_lifespan?: string;
  @IsOptional() @IsString() @Matches(GO_DURATION) authorization_code_grant_refresh_token_lifespan?: string;
  @IsOptional() @IsString() @Matches(GO_DURATION) client_credentials_grant_access_token_lifespan?: string;
  @IsOptional() @IsString() @Matches(GO_DURATION) implicit_grant_access_token_lifespan?: string;
  @IsOptional() @IsString() @Matches(GO_DURATION) implicit_grant_id_token_lifespan?: string;
  @IsOptional() @IsString() @Matches(GO_DURATION) jwt_bearer_grant_access_token_lifespan?: string;
  @IsOptional() @IsString() @Matches(GO_DURATION) password_grant_access_token_lifespan?: string;
  @IsOptional() @IsString() @Matches(GO_DURATION) password_grant_refresh_token_lifespan?: string;
  @IsOptional() @IsString() @Matches(GO_DURATION) refresh_token_grant_id_token_lifespan?: string;
  @IsOptional() @IsString() @Matches(GO_DURATION) refresh_token_grant_access_token_lifespan?: string;
  @IsOptional() @IsString() @Matches(GO_DURATION) refresh_token_grant_refresh_token_lifespan?: string;
}

/**
 * The OAuth2Client JSON accepted by `POST/PUT /admin/clients` and `/oauth2/register` (flat, as
 * architecture B8 asks; `jwks` and `metadata` are checked as JSON by the validator). Read-only fields
 * a client may echo back (`created_at`, `registration_client_uri`, ...) are accepted and ignored.
 */
export class OAuth2ClientBody extends ClientLifespansBody {
  @IsOptional() @IsString() @MaxLength(255) client_id?: string;
  @IsOptional() @IsString() @MaxLength(255) client_name?: string;
  @IsOptional() @IsString() @MaxLength(1024) client_secret?: string;
  @IsOptional() @IsArray() @IsString({ each: true }) redirect_uris?: string[];
  @IsOptional() @IsArray() @IsString({ each: true }) grant_types?: string[];
  @IsOptional() @IsArray() @IsString({ each: true }) response_types?: string[];
  @IsOptional() @IsString() @MaxLength(4096) scope?: string;
  @IsOptional() @IsArray() @IsString({ each: true }) audience?: string[];
  @IsOptional() @IsString() @MaxLength(255) owner?: string;
  @IsOptional() @IsString() policy_uri?: string;
  @IsOptional() @IsArray() @IsString({ each: true }) allowed_cors_origins?: string[];
  @IsOptional() @IsString() tos_uri?: string;
  @IsOptional() @IsString() client_uri?: string;
  @IsOptional() @IsString() logo_uri?: string;
  @IsOptional() @IsArray() @IsString({ each: true }) contacts?: string[];
  @IsOptional() @IsInt() client_secret_expires_at?: number;
  @IsOptional() @IsString() subject_type?: string;
  @IsOptional() @IsString() sector_identifier_uri?: string;
  @IsOptional() @IsString() jwks_uri?: string;
  @IsOptional() @IsObject() jwks?: Record<string, unknown>;
  @IsOptional() @IsString() token_endpoint_auth_method?: string;
  @IsOptional() @IsString() token_endpoint_auth_signing_alg?: string;
  @IsOptional() @IsArray() @IsString({ each: true }) request_uris?: string[];
  @IsOptional() @IsString() request_object_signing_alg?: string;
  @IsOptional() @IsString() userinfo_signed_response_alg?: string;
  @IsOptional() @IsString() frontchannel_logout_uri?: string;
  @IsOptional() @IsBoolean() frontchannel_logout_session_required?: boolean;
  @IsOptional() @IsString() backchannel_logout_uri?: string;
  @IsOptional() @IsBoolean() backchannel_logout_session_required?: boolean;
  @IsOptional() @IsArray() @IsString({ each: true }) post_logout_redirect_uris?: string[];
  @Allow() metadata?: unknown;
  @IsOptional() @IsBoolean() skip_consent?: boolean;
  @IsOptional() @IsBoolean() skip_logout_consent?: boolean;
  @IsOptional() @IsIn(['opaque', 'jwt']) access_token_strategy?: 'opaque' | 'jwt';
  @IsOptional() @IsString() id_token_signed_response_alg?: string;
  @Allow() registration_access_token?: unknown;
  @Allow() registration_client_uri?: unknown;
  @Allow() created_at?: unknown;
  @Allow() updated_at?: unknown;
}

/** The property names a DTO class declares (from class-validator's metadata). */
export function dtoKeys(dto: new () => object): readonly string[] {
  return [...new Set(getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false).map((m) => m.propertyName))];
}
