/**
 * Thrown at boot when courier configuration cannot be used (a template override that is missing or does
 * not parse, an SMTP URI or SMS gateway setting that is incomplete). The message starts with the key.
 */
export class CourierConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CourierConfigError';
  }
}
