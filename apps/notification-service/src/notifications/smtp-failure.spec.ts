import { isPermanentSmtpFailure } from './mail-delivery.service';

/** nodemailer puts the SMTP server's reply code on the error as `responseCode`. */
const smtpError = (responseCode?: number) => Object.assign(new Error('refused'), { responseCode });

describe('isPermanentSmtpFailure', () => {
  it('treats a 5xx reply as final', () => {
    expect(isPermanentSmtpFailure(smtpError(501))).toBe(true);
    expect(isPermanentSmtpFailure(smtpError(550))).toBe(true);
  });

  it('retries 4xx replies and errors without a reply (connection refused, timeouts)', () => {
    expect(isPermanentSmtpFailure(smtpError(421))).toBe(false);
    expect(isPermanentSmtpFailure(smtpError(451))).toBe(false);
    expect(isPermanentSmtpFailure(smtpError())).toBe(false);
    expect(isPermanentSmtpFailure(null)).toBe(false);
  });
});
