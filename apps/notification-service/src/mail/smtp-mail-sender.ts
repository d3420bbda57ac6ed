import { Injectable } from '@nestjs/common';
import { MailerService } from '@nestjs-modules/mailer';
import { endSpanAfter } from '@microshop/observability';
import { SpanKind, trace } from '@opentelemetry/api';
import { MailSender, OutgoingMail } from './mail-sender';

@Injectable()
export class SmtpMailSender extends MailSender {
  private readonly tracer = trace.getTracer('notification-service');

  constructor(private readonly mailer: MailerService) {
    super();
  }

  /** One SMTP submission, as a client span in the trace of the event that asked for the mail. */
  send(mail: OutgoingMail): Promise<void> {
    return this.tracer.startActiveSpan('smtp send', { kind: SpanKind.CLIENT }, (span) =>
      endSpanAfter(span, async () => {
        await this.mailer.sendMail(mail);
      }),
    );
  }
}
