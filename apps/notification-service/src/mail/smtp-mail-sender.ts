import { Injectable } from '@nestjs/common';
import { MailerService } from '@nestjs-modules/mailer';
import { MailSender, OutgoingMail } from './mail-sender';

@Injectable()
export class SmtpMailSender extends MailSender {
  constructor(private readonly mailer: MailerService) {
    super();
  }

  async send(mail: OutgoingMail): Promise<void> {
    await this.mailer.sendMail(mail);
  }
}
