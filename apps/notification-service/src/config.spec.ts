import { loadConfig } from '@microshop/config';
import { notificationServiceEnv } from './config';

const requireTls = (env: Record<string, string>) =>
  loadConfig(notificationServiceEnv, env).smtpRequireTls;

describe('notification-service configuration', () => {
  it('requires STARTTLS on the submission port 587, not on the local mail catcher', () => {
    expect(requireTls({})).toBe(false);
    expect(requireTls({ SMTP_URL: 'smtp://user:pass@smtp.example.com:587' })).toBe(true);
  });

  it('takes SMTP_REQUIRE_TLS over the port, and refuses anything but true or false', () => {
    expect(requireTls({ SMTP_URL: 'smtp://smtp.example.com:587', SMTP_REQUIRE_TLS: 'false' })).toBe(
      false,
    );
    expect(requireTls({ SMTP_URL: 'smtp://smtp.example.com:25', SMTP_REQUIRE_TLS: 'true' })).toBe(
      true,
    );
    expect(() => requireTls({ SMTP_REQUIRE_TLS: 'yes' })).toThrow(
      'SMTP_REQUIRE_TLS: must be true or false',
    );
  });
});
