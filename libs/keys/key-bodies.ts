import { IsIn, IsOptional, IsString, MaxLength } from '../http/class-validator';

/**
 * `AdminCreateJsonWebKeySetBody` for `POST /admin/keys/{set}`. `alg` is checked against the supported
 * algorithms by `KeyManager.createKey` (400 `Unsupported key algorithm`); an empty `kid` gets a UUID v4
 * and an empty `use` becomes `sig` (Hydra).
 */
export class CreateJsonWebKeySetBody {
  @IsString() alg!: string;
  @IsOptional() @IsString() @MaxLength(255) kid?: string;
  @IsOptional() @IsIn(['sig', 'enc', '']) use?: string;
}
