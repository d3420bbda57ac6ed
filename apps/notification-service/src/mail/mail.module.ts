import { DynamicModule, Module } from '@nestjs/common';
import { MailerModule, MailerOptions } from '@nestjs-modules/mailer';
import { NotificationServiceConfig } from '../config';
import { MailSender } from './mail-sender';
import { SmtpMailSender } from './smtp-mail-sender';

@Module({})
export class MailModule {
  static forRoot(config: NotificationServiceConfig): DynamicModule {
    return {
      module: MailModule,
      global: true,
      imports: [
        MailerModule.forRoot({
          // Fail fast when the server is away; retries are scheduled by MailDeliveryService.
          transport: {
            url: config.smtpUrl,
            // STARTTLS or no mail (plain smtp:// otherwise sends in clear when the server offers none).
            requireTLS: config.smtpRequireTls,
            // Connections are kept and reused: a new one per mail (TCP, greeting, EHLO, TLS at a
            // real provider) cost more than the mail. One per partition handled at once.
            pool: true,
            maxConnections: 3,
            connectionTimeout: 5_000,
            greetingTimeout: 5_000,
            socketTimeout: 15_000,
          },
          // The mailer's bundled nodemailer types omit `from` on transport defaults.
          defaults: { from: config.mailFrom } as MailerOptions['defaults'],
        }),
      ],
      providers: [{ provide: MailSender, useClass: SmtpMailSender }],
      exports: [MailSender],
    };
  }
}
