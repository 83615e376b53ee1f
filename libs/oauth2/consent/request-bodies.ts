import { Allow, IsArray, IsBoolean, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min } from '../../http/class-validator';

/** The longest subject (Hydra's `subject` columns hold 255 characters). */
export const MAX_SUBJECT_LENGTH = 255;

/** The longest `remember_for`, in seconds (about 68 years): the `remember_for` columns are 32-bit integers. */
export const MAX_REMEMBER_FOR_SECONDS = 2_147_483_647;

/** `AcceptOAuth2LoginRequest` (strict: unknown fields are rejected, as Hydra's strict decoder does). */
export class AcceptOAuth2LoginRequestBody {
  @IsString() @MaxLength(MAX_SUBJECT_LENGTH) subject!: string;
  @IsOptional() @IsBoolean() remember?: boolean;
  @IsOptional() @IsInt() @Min(0) @Max(MAX_REMEMBER_FOR_SECONDS) remember_for?: number;
  @IsOptional() @IsString() acr?: string;
  @IsOptional() @IsArray() @IsString({ each: true }) amr?: string[];
  @Allow() context?: unknown;
  @IsOptional() @IsString() @MaxLength(MAX_SUBJECT_LENGTH) force_subject_identifier?: string;
}

/** `AcceptOAuth2ConsentRequest`; `grant_scope` may hold nulls (hydra-login-consent-node sends `[null]`). */
export class AcceptOAuth2ConsentRequestBody {
  @IsOptional() @IsArray() grant_scope?: unknown[];
  @IsOptional() @IsArray() grant_access_token_audience?: unknown[];
  @IsOptional() @IsBoolean() remember?: boolean;
  @IsOptional() @IsInt() @Min(0) @Max(MAX_REMEMBER_FOR_SECONDS) remember_for?: number;
  @IsOptional() @IsObject() session?: { access_token?: unknown; id_token?: unknown };
  @Allow() handled_at?: unknown;
  @Allow() context?: unknown;
}

/** `RejectOAuth2Request`; every field optional. */
export class RejectOAuth2RequestBody {
  @IsOptional() @IsString() error?: string;
  @IsOptional() @IsString() error_description?: string;
  @IsOptional() @IsString() error_hint?: string;
  @IsOptional() @IsString() error_debug?: string;
  @IsOptional() @IsInt() status_code?: number;
}
