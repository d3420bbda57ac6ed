import { EventMap, Topic } from '@microshop/events';
import Handlebars from 'handlebars';
import { OutgoingMail } from '../mail/mail-sender';
import { formatMoney } from './money';

/** One row of the notification table: whom an event mails, and what the mail says. */
export interface MailTemplate<T extends Topic> {
  recipient: (payload: EventMap[T]) => string;
  subject: (payload: EventMap[T]) => string;
  text: HandlebarsTemplateDelegate<EventMap[T]>;
  html: HandlebarsTemplateDelegate<EventMap[T]>;
}

Handlebars.registerHelper('money', (minorUnits: number, currency: string) =>
  formatMoney(minorUnits, currency),
);

/** Compiles an HTML part once; Handlebars escapes user-provided values. */
export const compile = <T extends Topic>(source: string) =>
  Handlebars.compile<EventMap[T]>(source, { strict: true });

/** Compiles a plain-text part: no HTML escaping (a name like "Tom & Jerry" stays as is). */
export const compileText = <T extends Topic>(source: string) =>
  Handlebars.compile<EventMap[T]>(source, { strict: true, noEscape: true });

export const render = <T extends Topic>(
  template: MailTemplate<T>,
  payload: EventMap[T],
): OutgoingMail => ({
  to: template.recipient(payload),
  subject: template.subject(payload),
  text: template.text(payload),
  html: template.html(payload),
});
