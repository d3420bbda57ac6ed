/** A rendered mail, ready to send. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends mail; the SMTP implementation sits behind it so handlers never see the transport. */
export abstract class MailSender {
  abstract send(mail: OutgoingMail): Promise<void>;
}
