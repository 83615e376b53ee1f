import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CourierConfig } from '../../config';
import type { TemplateModel, TemplateType } from '../courier';
import { CourierConfigError } from '../courier-config-error';
import { BUILTIN_TEMPLATES, TEMPLATE_FIELDS, type TemplateSources } from './builtin-templates';
import { readTemplateFile, readTemplateUrl } from './read-template-url';
import { type CompiledTemplate, TemplateSyntaxError, compileTemplate, escapeHtml, noEscape } from './template-renderer';

/** A rendered email: subject, HTML body, plain-text body. */
export interface RenderedEmail {
  readonly subject: string;
  readonly html: string;
  readonly plaintext: string;
}

type Part = keyof TemplateSources;
type CompiledSet = Readonly<Record<Part, CompiledTemplate>>;

/** Kratos's file names inside an override directory. */
const FILES: Readonly<Record<Part, string>> = {
  subject: 'email.subject.gotmpl',
  html: 'email.body.gotmpl',
  plaintext: 'email.body.plaintext.gotmpl',
  sms: 'sms.body.gotmpl',
};

/** Config keys of the inline overrides, below `courier.templates.<type>`. */
const INLINE_KEYS: Readonly<Record<Part, string>> = {
  subject: 'email.subject',
  html: 'email.body.html',
  plaintext: 'email.body.plaintext',
  sms: 'sms.body',
};

/**
 * The courier's templates, compiled once at boot. Each text comes from, first to last:
 * `courier.templates.<type>.…` (file:// or base64://), then `courier.template_override_path`
 * (`<dir>/<flow>/<valid|invalid>/<file>` as Kratos lays it out, or `<dir>/<type>/<file>`), then the
 * built-in wording.
 *
 * Invariant: HTML bodies are rendered with every field HTML-escaped; subjects never contain line breaks.
 */
export class CourierTemplates {
  private constructor(private readonly sets: Readonly<Record<TemplateType, CompiledSet>>) {}

  /**
   * Loads and compiles every template.
   * @throws CourierConfigError naming the key (and file) of an override that is missing or does not parse.
   */
  static load(config: Pick<CourierConfig, 'template_override_path' | 'templates'>): CourierTemplates {
    const dir = config.template_override_path?.replace(/^file:\/\//, '');
    if (dir !== undefined && !(existsSync(dir) && statSync(dir).isDirectory())) {
      throw new CourierConfigError(`courier.template_override_path: ${dir} is not a directory`);
    }
    const sets = Object.fromEntries(
      (Object.keys(BUILTIN_TEMPLATES) as TemplateType[]).map((type) => [type, compileSet(type, config, dir)]),
    ) as Record<TemplateType, CompiledSet>;
    return new CourierTemplates(sets);
  }

  /** Renders the email of `type` for `model`. */
  renderEmail(type: TemplateType, model: TemplateModel): RenderedEmail {
    const set = this.sets[type];
    const view = model as unknown as Record<string, unknown>;
    return {
      subject: set.subject.render(view, noEscape).replace(/[\r\n]+/g, ' ').trim(),
      html: set.html.render(view, escapeHtml),
      plaintext: set.plaintext.render(view, noEscape),
    };
  }

  /** Renders the SMS text of `type` for `model`. */
  renderSms(type: TemplateType, model: TemplateModel): string {
    return this.sets[type].sms.render(model as unknown as Record<string, unknown>, noEscape);
  }
}

function compileSet(type: TemplateType, config: Pick<CourierConfig, 'templates'>, dir: string | undefined): CompiledSet {
  const inline = config.templates[type];
  const inlineUrls: Readonly<Record<Part, string | undefined>> = {
    subject: inline?.email?.subject,
    html: inline?.email?.body?.html,
    plaintext: inline?.email?.body?.plaintext,
    sms: inline?.sms?.body,
  };
  const parts = (Object.keys(FILES) as Part[]).map((part): [Part, CompiledTemplate] => {
    const url = inlineUrls[part];
    if (url !== undefined) {
      const key = `courier.templates.${type}.${INLINE_KEYS[part]}`;
      return [part, compile(key, readTemplateUrl(key, url))];
    }
    const file = dir === undefined ? undefined : overrideFile(dir, type, FILES[part]);
    if (file !== undefined) return [part, compile(`courier.template_override_path (${file})`, readTemplateFile('courier.template_override_path', file))];
    return [part, compile(`built-in template ${type}.${part}`, BUILTIN_TEMPLATES[type][part])];
  });
  return Object.fromEntries(parts) as Record<Part, CompiledTemplate>;
}

/** `<dir>/recovery_code/valid/<file>` (Kratos) or `<dir>/recovery_code_valid/<file>`, whichever exists. */
function overrideFile(dir: string, type: TemplateType, file: string): string | undefined {
  const [, flow, variant] = /^(.*)_(valid|invalid)$/.exec(type) ?? [];
  const candidates = [join(dir, flow, variant, file), join(dir, type, file)];
  return candidates.find((c) => existsSync(c));
}

function compile(key: string, source: string): CompiledTemplate {
  try {
    return compileTemplate(source, TEMPLATE_FIELDS);
  } catch (e) {
    if (e instanceof TemplateSyntaxError) throw new CourierConfigError(`${key}: ${e.message}`);
    throw e;
  }
}
