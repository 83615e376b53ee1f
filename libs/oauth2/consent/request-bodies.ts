import { Allow, IsArray, IsBoolean, IsInt, IsObject, IsOptional, IsString, Min } from 'class-validator';

/** `AcceptOAuth2LoginRequest` (strict: unknown fields are rejected, as Hydra's strict decoder does). */
export class AcceptOAuth2LoginRequestBody {
  @IsString() subject!: string;
  @IsOptional() @IsBoolean() remember?: boolean;
  @IsOptional() @IsInt() @Min(0) remember_for?: number;
  @IsOptional() @IsString() acr?: string;
  @IsOptional() @IsArray() @IsString({ each: true }) amr?: string[];
  @Allow() context?: unknown;
  @IsOptional() @IsString() force_subject_identifier?: string;
}

/** `AcceptOAuth2ConsentRequest`; `grant_scope` may hold nulls (hydra-login-consent-node sends `[null]`). */
export class AcceptOAuth2ConsentRequestBody {
  @IsOptional() @IsArray() grant_scope?: unknown[];
  @IsOptional() @IsArray() grant_access_token_audience?: unknown[];
  @IsOptional() @IsBoolean() remember?: boolean;
  @IsOptional() @IsInt() @Min(0) remember_for?: number;
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
