import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { EventEnvelope, Topic } from '@microshop/events';
import { Model } from 'mongoose';
import { MailSender } from '../mail/mail-sender';
import { MAIL_TEMPLATES, render } from '../templates';
import { Notification } from './schemas/notification.schema';

@Injectable()
export class NotificationsService {
  private readonly logger = new Logger(NotificationsService.name);

  constructor(
    @InjectModel(Notification.name) private readonly notifications: Model<Notification>,
    private readonly sender: MailSender,
  ) {}

  /**
   * Sends the mail an event calls for, at most once per eventId: the notification record is
   * claimed before sending, and a redelivered event whose mail was sent does nothing.
   */
  async notify<T extends Topic>(event: EventEnvelope<T>): Promise<void> {
    const template = MAIL_TEMPLATES[event.type];
    if (!template) return;
    const mail = render(template, event.payload);
    const record = await this.notifications
      .findOneAndUpdate(
        { eventId: event.eventId },
        {
          $setOnInsert: {
            eventId: event.eventId,
            type: event.type,
            recipient: mail.to,
            subject: mail.subject,
            status: 'PENDING',
            attempts: 0,
          },
        },
        { upsert: true, new: true },
      )
      .lean();
    if (record.status === 'SENT') {
      this.logger.log(`Mail for event ${event.eventId} already sent; skipping redelivery`);
      return;
    }
    try {
      await this.sender.send(mail);
    } catch (err) {
      await this.notifications.updateOne(
        { eventId: event.eventId },
        { $inc: { attempts: 1 }, $set: { lastError: (err as Error).message } },
      );
      throw err;
    }
    await this.notifications.updateOne(
      { eventId: event.eventId },
      {
        $inc: { attempts: 1 },
        $set: { status: 'SENT', sentAt: new Date() },
        $unset: { lastError: 1 },
      },
    );
  }
}
