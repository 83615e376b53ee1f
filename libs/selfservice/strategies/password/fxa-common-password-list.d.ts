/** Mozilla's common-password list (fxa-common-password-list ships no types). */
declare module 'fxa-common-password-list' {
  /** True when the password is on the list. */
  export function test(password: string): boolean;
}
