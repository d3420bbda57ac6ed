import { Topic, TOPICS } from '@microshop/events';
import { MailTemplate } from './mail-template';
import { welcomeTemplate } from './welcome.template';

/** Which events send mail. An event type missing here sends nothing. */
export const MAIL_TEMPLATES: Partial<{ [T in Topic]: MailTemplate<T> }> = {
  [TOPICS.USER_REGISTERED]: welcomeTemplate,
};

export * from './mail-template';
