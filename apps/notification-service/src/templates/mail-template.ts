import { EventMap, Topic } from '@microshop/events';
import Handlebars from 'handlebars';
import { OutgoingMail } from '../mail/mail-sender';

/** One row of the notification table: whom an event mails, and what the mail says. */
export interface MailTemplate<T extends Topic> {
  recipient: (payload: EventMap[T]) => string;
  subject: (payload: EventMap[T]) => string;
  text: HandlebarsTemplateDelegate<EventMap[T]>;
  html: HandlebarsTemplateDelegate<EventMap[T]>;
}

/** Compiles a template once; Handlebars escapes user-provided values in the HTML part. */
export const compile = <T extends Topic>(source: string) =>
  Handlebars.compile<EventMap[T]>(source, { strict: true });

export const render = <T extends Topic>(
  template: MailTemplate<T>,
  payload: EventMap[T],
): OutgoingMail => ({
  to: template.recipient(payload),
  subject: template.subject(payload),
  text: template.text(payload),
  html: template.html(payload),
});
