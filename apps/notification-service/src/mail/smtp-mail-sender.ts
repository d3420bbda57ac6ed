import { Injectable } from '@nestjs/common';
import { MailerService } from '@nestjs-modules/mailer';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { MailSender, OutgoingMail } from './mail-sender';

@Injectable()
export class SmtpMailSender extends MailSender {
  private readonly tracer = trace.getTracer('notification-service');

  constructor(private readonly mailer: MailerService) {
    super();
  }

  /** One SMTP submission, as a client span in the trace of the event that asked for the mail. */
  send(mail: OutgoingMail): Promise<void> {
    return this.tracer.startActiveSpan('smtp send', { kind: SpanKind.CLIENT }, async (span) => {
      try {
        await this.mailer.sendMail(mail);
      } catch (err) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
        throw err;
      } finally {
        span.end();
      }
    });
  }
}
