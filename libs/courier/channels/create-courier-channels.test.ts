import { resolve } from 'node:path';
import { loadConfig } from '../../config';
import { CourierTemplates } from '../templates/courier-templates';
import { createCourierChannels } from './create-courier-channels';

describe('createCourierChannels', () => {
  it('configures no channel by default (messages stay queued)', () => {
    expect(createCourierChannels(loadConfig({ env: {} }).courier)).toEqual([]);
  });

  it('configures SMTP and SMS from the shipped config/example.yaml (without connecting)', () => {
    const config = loadConfig({ files: [resolve(__dirname, '../../../config/example.yaml')], env: { COURIER_SMS_ENABLED: 'true' } });
    expect(createCourierChannels(config.courier).map((c) => c.type)).toEqual(['email', 'sms']);
    expect(CourierTemplates.load(config.courier).renderEmail('verification_code_valid', { to: 'a@b.co', verification_code: '1' }).subject).toBe(
      'Please verify your Example account',
    );
  });
});
