import { TOPICS } from '@microshop/events';
import { compile, compileText, MailTemplate } from './mail-template';

export const welcomeTemplate: MailTemplate<typeof TOPICS.USER_REGISTERED> = {
  recipient: (user) => user.email,
  subject: () => 'Welcome to MicroShop',
  text: compileText('Hello {{name}},\n\nWelcome to MicroShop! Your account {{email}} is ready.\n'),
  html: compile(
    '<p>Hello {{name}},</p><p>Welcome to MicroShop! Your account <b>{{email}}</b> is ready.</p>',
  ),
};
