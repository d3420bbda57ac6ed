import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { EventEnvelope, Topic } from '@microshop/events';
import { Model, mongo } from 'mongoose';
import { MailDeliveryService } from './mail-delivery.service';
import { MAIL_TEMPLATES, render } from '../templates';
import { NotificationsPageDto } from './dto/notification.dto';
import { Notification } from './schemas/notification.schema';

@Injectable()
export class NotificationsService {
  private readonly logger = new Logger(NotificationsService.name);

  constructor(
    @InjectModel(Notification.name) private readonly notifications: Model<Notification>,
    private readonly delivery: MailDeliveryService,
  ) {}

  /**
   * Records the mail an event calls for (once per eventId: a redelivered event finds its record
   * and does nothing more) and starts a first delivery attempt in the background. The record is
   * born holding the lease of that attempt, which saves a write per mail. Later attempts, if
   * needed, are the delivery service's; the Kafka message is done once the mail is recorded.
   */
  async notify<T extends Topic>(event: EventEnvelope<T>): Promise<void> {
    const template = MAIL_TEMPLATES[event.type];
    if (!template) return;
    const mail = render(template, event.payload);
    const now = new Date();
    const { value: record, lastErrorObject } = await this.notifications
      .findOneAndUpdate(
        { _id: event.eventId },
        {
          $setOnInsert: {
            eventId: event.eventId,
            type: event.type,
            recipient: mail.to,
            recipientKey: mail.to.toLowerCase(),
            subject: mail.subject,
            text: mail.text,
            html: mail.html,
            status: 'PENDING',
            attempts: 0,
            nextAttemptAt: now,
            leaseUntil: this.delivery.leaseFrom(now),
          },
        },
        { upsert: true, new: true, includeResultMetadata: true },
      )
      .lean<mongo.ModifyResult<Notification>>();
    if (!record) throw new Error(`The mail for event ${event.eventId} was not recorded`);
    if (!lastErrorObject?.updatedExisting)
      return this.delivery.inBackground(record.eventId, () => this.delivery.deliver(record));
    if (record.status !== 'PENDING') {
      this.logger.log(
        `Mail for event ${event.eventId} already ${record.status}; redelivery ignored`,
      );
      return;
    }
    this.delivery.inBackground(event.eventId, () => this.delivery.attempt(event.eventId));
  }

  /** The mail log, newest first, optionally for one address. */
  async list(recipient: string | undefined, limit: number): Promise<NotificationsPageDto> {
    const filter = recipient ? { recipientKey: recipient.toLowerCase() } : {};
    const records = await this.notifications
      .find(filter, {
        eventId: 1,
        type: 1,
        recipient: 1,
        subject: 1,
        status: 1,
        attempts: 1,
        sentAt: 1,
      })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit)
      .lean();
    return {
      items: records.map((r) => ({
        eventId: r.eventId,
        type: r.type,
        recipient: r.recipient,
        subject: r.subject,
        status: r.status,
        attempts: r.attempts,
        sentAt: r.sentAt?.toISOString() ?? null,
      })),
    };
  }
}
