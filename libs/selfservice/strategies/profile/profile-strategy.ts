import type { RealmConfigProvider } from '../../../config';
import { type Identity, type IdentityManager, type IdentitySchemasProvider, TraitsValidationError } from '../../../identity';
import { FlowValidationError, type SettingsFlow, type UiNode, type UiText, inputNode, messages, traitNodes } from '../../flow';
import type { SettingsContext, SettingsOutcome, SettingsStrategy } from '../../flows/settings/settings-strategy';
import type { Ctx } from '../../../x';

export type ProfileStrategyDeps = RealmConfigProvider & IdentitySchemasProvider & { readonly identityManager: IdentityManager };

/**
 * The `profile` settings method: traits are replaced wholesale and validated against the schema.
 * Changing a protected trait (a credential identifier, a verifiable or recovery address) needs a
 * privileged session; other traits never do.
 */
export class ProfileStrategy implements SettingsStrategy {
  readonly settingsMethod = 'profile';

  constructor(private readonly deps: ProfileStrategyDeps) {}

  async populateSettings(_flow: SettingsFlow, identity: Identity): Promise<UiNode[]> {
    const schema = this.deps.identitySchemas.find(identity.schemaId)?.schema ?? {};
    return [...traitNodes(schema, 'profile', identity.traits as Record<string, unknown>), inputNode('profile', 'method', 'submit', { value: 'profile', label: messages.labelSave() })];
  }

  async settings(ctx: Ctx, _flow: SettingsFlow, body: Readonly<Record<string, unknown>>, flowContext: SettingsContext): Promise<SettingsOutcome> {
    if (body.method !== this.settingsMethod) return { kind: 'not_responsible' };
    const traits = body.traits;
    if (typeof traits !== 'object' || traits === null || Array.isArray(traits)) {
      throw new FlowValidationError([], { traits: [messages.validationRequired('traits')] });
    }
    const current = flowContext.session.identity;
    let before;
    let after;
    try {
      before = this.deps.identitySchemas.validateTraits(current.schemaId, current.traits);
      after = this.deps.identitySchemas.validateTraits(current.schemaId, traits);
    } catch (e) {
      if (e instanceof TraitsValidationError) throw new FlowValidationError([], traitViolations(e));
      throw e;
    }
    const protectedKey = (x: typeof after): string =>
      JSON.stringify([[...x.identifiers.entries()].sort(), x.verifiable.map((a) => `${a.via}:${a.value}`).sort(), x.recovery.map((a) => `${a.via}:${a.value}`).sort()]);
    if (protectedKey(before) !== protectedKey(after)) flowContext.requirePrivileged();
    const identity = await this.deps.identityManager.withTraits(current, traits as Record<string, unknown>);
    return { kind: 'updated', identity };
  }
}

/** Maps schema violations to the trait nodes (4000001, or 4000002 for a missing property). */
export function traitViolations(e: TraitsValidationError): Record<string, UiText[]> {
  const byNode: Record<string, UiText[]> = {};
  for (const v of e.violations) {
    const missing = /missing properties: "([^"]+)"/.exec(v.message);
    const path = missing ? `${v.instancePath}/${missing[1]}` : v.instancePath;
    const name = path.replace(/^\//, '').split('/').join('.') || 'traits';
    (byNode[name] ??= []).push(missing ? messages.validationRequired(missing[1]) : messages.validationGeneric(v.message.replace(/^S\[[^\]]*\] /, '')));
  }
  return byNode;
}
