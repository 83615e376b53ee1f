import type { Ctx } from '../x';

/**
 * Kratos courier template types. `*_invalid` mails go to addresses that have no account, so the HTTP
 * answer can be identical for known and unknown addresses (enumeration safety).
 */
export type TemplateType =
  | 'recovery_valid'
  | 'recovery_invalid'
  | 'recovery_code_valid'
  | 'recovery_code_invalid'
  | 'verification_valid'
  | 'verification_invalid'
  | 'verification_code_valid'
  | 'verification_code_invalid'
  | 'login_code_valid'
  | 'registration_code_valid';

/**
 * Template data per type (Kratos's template models). `identity` is the public wire view of the identity
 * where one exists.
 */
export interface TemplateModel {
  readonly to: string;
  readonly recovery_url?: string;
  readonly recovery_code?: string;
  readonly verification_url?: string;
  readonly verification_code?: string;
  readonly login_code?: string;
  /** Magic link carrying the same one-time code as `login_code`. */
  readonly login_url?: string;
  readonly registration_code?: string;
  /** Magic link carrying the same one-time code as `registration_code`. */
  readonly registration_url?: string;
  readonly identity?: Readonly<Record<string, unknown>>;
}

/**
 * Queues messages for delivery. Queuing is a database write (it can join the caller's transaction);
 * delivery happens later in the dispatcher, so a slow or failing SMTP server never blocks a request.
 */
export interface Courier {
  /** Renders the email template and queues it; returns the message id. */
  queueEmail(ctx: Ctx, type: TemplateType, model: TemplateModel): Promise<string>;
  /** Renders the SMS template and queues it for the HTTP SMS channel; returns the message id. */
  queueSms(ctx: Ctx, type: TemplateType, model: TemplateModel): Promise<string>;
}

export interface CourierProvider {
  readonly courier: Courier;
}
