import { TemplateSyntaxError, compileTemplate, escapeHtml, noEscape } from './template-renderer';

const render = (source: string, view: Record<string, unknown>, escape = noEscape): string => compileTemplate(source).render(view, escape);

describe('compileTemplate', () => {
  it('substitutes Kratos-style fields, matching model keys ignoring case and underscores', () => {
    expect(render('Go to {{ .RecoveryURL }} as {{.To}}', { recovery_url: 'https://x/r?a=1&b=2', to: 'a@b.co' })).toBe('Go to https://x/r?a=1&b=2 as a@b.co');
    expect(render('{{ to }} / {{to}}', { to: 'a@b.co' })).toBe('a@b.co / a@b.co');
  });

  it('follows nested paths into the identity and renders missing fields as empty text', () => {
    const view = { identity: { traits: { email: 'a@b.co', name: { first: 'Ann' } } } };
    expect(render('{{ .Identity.traits.name.first }} <{{ .Identity.traits.email }}>{{ .Identity.traits.nope }}', view)).toBe('Ann <a@b.co>');
    expect(render('[{{ .RecoveryCode }}]', {})).toBe('[]');
  });

  it('escapes every field with the given escaper, and only fields', () => {
    const hostile = '"><script>alert(1)</script>&\'';
    const out = render('<a href="{{ .RecoveryURL }}">{{ .RecoveryURL }}</a>', { recovery_url: hostile }, escapeHtml);
    expect(out).toBe('<a href="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;&#39;">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;&#39;</a>');
    expect(out).not.toContain('<script>');
  });

  it('renders if / else / end with Go truthiness, nested', () => {
    const tpl = '{{ if .VerificationURL }}link {{ .VerificationURL }}{{ if .To }} for {{ .To }}{{ end }}{{ else }}no link{{ end }}.';
    expect(render(tpl, { verification_url: 'u', to: 't' })).toBe('link u for t.');
    expect(render(tpl, { verification_url: 'u' })).toBe('link u.');
    expect(render(tpl, { verification_url: '' })).toBe('no link.');
    expect(render('{{ if .Identity }}y{{ else }}n{{ end }}', { identity: {} })).toBe('n');
  });

  it('honours comments and the {{- / -}} whitespace trims', () => {
    expect(render('a  {{- /* note */ -}}  b {{- .To }}\n{{ .To -}}\n  c', { to: 'T' })).toBe('abT\nTc');
  });

  it('refuses anything but fields, if, else and end', () => {
    for (const bad of ['{{ printf "%s" .To }}', '{{ .To | html }}', '{{ range .Identity }}x{{ end }}', '{{ end }}', '{{ else }}', '{{ if .To }}x', 'x {{ .To', '{{ . }}']) {
      expect(() => compileTemplate(bad)).toThrow(TemplateSyntaxError);
    }
  });

  it('refuses unknown fields when the known roots are given', () => {
    expect(() => compileTemplate('{{ .RecoveryUrl }} {{ .recovery_url }} {{ .Identity.x }}', ['To', 'RecoveryURL', 'Identity'])).not.toThrow();
    expect(() => compileTemplate('{{ .RecoverURL }}', ['To', 'RecoveryURL'])).toThrow(/unknown field \.RecoverURL/);
  });
});
