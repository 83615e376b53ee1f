import { CourierConfigError } from '../courier-config-error';
import { redactSmtpUri, smtpTransportOptions } from './smtp-transport-options';

describe('smtpTransportOptions', () => {
  it('maps smtp:// to opportunistic STARTTLS on 587 with verified certificates and decoded credentials', () => {
    expect(smtpTransportOptions('smtp://us%40er:p%3Ass@mail.example.com/', 'tessera.local')).toMatchObject({
      host: 'mail.example.com',
      port: 587,
      secure: false,
      requireTLS: false,
      ignoreTLS: false,
      name: 'tessera.local',
      auth: { user: 'us@er', pass: 'p:ss' },
      tls: { rejectUnauthorized: true },
    });
  });

  it('maps smtps:// to implicit TLS on 465', () => {
    expect(smtpTransportOptions('smtps://mail.example.com', 'localhost')).toMatchObject({ port: 465, secure: true, requireTLS: false, ignoreTLS: false });
  });

  it('maps requireTLS, disable_starttls, skip_ssl_verify and server_name', () => {
    expect(smtpTransportOptions('smtp://h:2525/?requireTLS=true', 'l')).toMatchObject({ port: 2525, requireTLS: true, ignoreTLS: false });
    expect(smtpTransportOptions('smtp://h/?disable_starttls=true', 'l')).toMatchObject({ requireTLS: false, ignoreTLS: true });
    expect(smtpTransportOptions('smtps://h/?skip_ssl_verify=true&server_name=mx.example.com', 'l')).toMatchObject({
      tls: { rejectUnauthorized: false, servername: 'mx.example.com' },
    });
    expect(smtpTransportOptions('smtp://h/', 'l').auth).toBeUndefined();
  });

  it('refuses bad URIs naming the key and never echoing the password', () => {
    const cases = ['http://u:secret-pw@h/', 'smtp://u:secret-pw@h/?skip_ssl_verfy=true', 'smtp://u:secret-pw@h/?requireTLS=yes', 'smtp://u:secret-pw@h/?requireTLS=true&disable_starttls=true', 'smtp://u:secret-pw@'];
    for (const uri of cases) {
      let error: unknown;
      try {
        smtpTransportOptions(uri, 'l');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CourierConfigError);
      expect((error as Error).message).toMatch(/^courier\.smtp\.connection_uri: /);
      expect((error as Error).message).not.toContain('secret-pw');
    }
  });
});

describe('redactSmtpUri', () => {
  it('hides the password', () => {
    expect(redactSmtpUri('smtp://user:secret-pw@h:25/?x=1')).toBe('smtp://user:***@h:25/?x=1');
    expect(redactSmtpUri('not a uri')).not.toContain('not a uri');
  });
});
