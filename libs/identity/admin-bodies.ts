import { Allow, IsArray, IsIn, IsObject, IsOptional, IsString, MaxLength, MinLength } from '../http/class-validator';
import type { IdentityState } from './identity';

/** `AdminCreateIdentityBody` of @ory/client (strict: unknown keys are rejected). */
export class CreateIdentityBody {
  @IsOptional() @IsString() @MaxLength(255) schema_id?: string;
  @IsObject() traits!: Record<string, unknown>;
  @IsOptional() @IsIn(['active', 'inactive']) state?: IdentityState;
  @Allow() metadata_public?: unknown;
  @Allow() metadata_admin?: unknown;
  @IsOptional() @IsArray() verifiable_addresses?: unknown[];
  @IsOptional() @IsArray() recovery_addresses?: unknown[];
  @IsOptional() @IsObject() credentials?: Record<string, unknown>;
}

/** `AdminUpdateIdentityBody`: a full replace of traits, state and metadata; credentials optional (the create body's fields). */
export class UpdateIdentityBody extends CreateIdentityBody {}

/** One JSON Patch operation (RFC 6902). */
export class JsonPatchOperation {
  @IsIn(['add', 'remove', 'replace', 'move', 'copy', 'test']) op!: string;
  @IsString() @MinLength(1) @MaxLength(1024) path!: string;
  @IsOptional() @IsString() @MaxLength(1024) from?: string;
  @Allow() value?: unknown;
}
