/* eslint-disable @typescript-eslint/no-require-imports */
import type * as ClassValidator from 'class-validator';

/**
 * The parts of class-validator Tessera's request DTOs use, loaded from the library's own modules instead
 * of its index: the index loads every decorator, the whole `validator` package and libphonenumber-js
 * (~320 modules, ~150 ms of CPU at boot), where these need ~35 (issue 16, cold start). The functions are
 * the library's own — `class-validator.test.ts` checks each is the very object the index exports — and
 * `validateSync` is the index's code path (`getFromContainer(Validator).validateSync`).
 */
const cjs = (path: string): Record<string, unknown> => require(`class-validator/cjs/${path}`) as Record<string, unknown>;

export const Allow = cjs('decorator/common/Allow').Allow as typeof ClassValidator.Allow;
export const IsArray = cjs('decorator/typechecker/IsArray').IsArray as typeof ClassValidator.IsArray;
export const IsBoolean = cjs('decorator/typechecker/IsBoolean').IsBoolean as typeof ClassValidator.IsBoolean;
export const IsISO8601 = cjs('decorator/string/IsISO8601').IsISO8601 as typeof ClassValidator.IsISO8601;
export const IsIn = cjs('decorator/common/IsIn').IsIn as typeof ClassValidator.IsIn;
export const IsInt = cjs('decorator/typechecker/IsInt').IsInt as typeof ClassValidator.IsInt;
export const IsObject = cjs('decorator/typechecker/IsObject').IsObject as typeof ClassValidator.IsObject;
export const IsOptional = cjs('decorator/common/IsOptional').IsOptional as typeof ClassValidator.IsOptional;
export const IsString = cjs('decorator/typechecker/IsString').IsString as typeof ClassValidator.IsString;
export const Matches = cjs('decorator/string/Matches').Matches as typeof ClassValidator.Matches;
export const Max = cjs('decorator/number/Max').Max as typeof ClassValidator.Max;
export const MaxLength = cjs('decorator/string/MaxLength').MaxLength as typeof ClassValidator.MaxLength;
export const Min = cjs('decorator/number/Min').Min as typeof ClassValidator.Min;
export const MinLength = cjs('decorator/string/MinLength').MinLength as typeof ClassValidator.MinLength;
export const getMetadataStorage = cjs('metadata/MetadataStorage').getMetadataStorage as typeof ClassValidator.getMetadataStorage;
export type { ValidationError, ValidatorOptions } from 'class-validator';

const getFromContainer = cjs('container').getFromContainer as typeof ClassValidator.getFromContainer;
const Validator = cjs('validation/Validator').Validator as typeof ClassValidator.Validator;

/** class-validator's `validateSync(object, options)`. */
export function validateSync(object: object, options?: ClassValidator.ValidatorOptions): ClassValidator.ValidationError[] {
  return getFromContainer(Validator).validateSync(object, options);
}
