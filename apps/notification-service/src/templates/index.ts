import { Topic, TOPICS } from '@microshop/events';
import { MailTemplate } from './mail-template';
import {
  orderCancelledTemplate,
  orderConfirmedTemplate,
  orderRejectedTemplate,
} from './order.templates';
import { welcomeTemplate } from './welcome.template';

/** Which events send mail. An event type missing here sends nothing. */
export const MAIL_TEMPLATES: Partial<{ [T in Topic]: MailTemplate<T> }> = {
  [TOPICS.USER_REGISTERED]: welcomeTemplate,
  [TOPICS.ORDER_CONFIRMED]: orderConfirmedTemplate,
  [TOPICS.ORDER_REJECTED]: orderRejectedTemplate,
  [TOPICS.ORDER_CANCELLED]: orderCancelledTemplate,
};

export * from './mail-template';
