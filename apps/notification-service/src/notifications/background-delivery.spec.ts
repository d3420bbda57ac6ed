import type { Model } from 'mongoose';
import type { Counter } from 'prom-client';
import { MailDeliveryService } from './mail-delivery.service';
import type { Notification } from './schemas/notification.schema';

const counter = () => ({ inc: jest.fn() }) as unknown as Counter<'type'>;
const service = () =>
  new MailDeliveryService(
    {} as Model<Notification>,
    { send: jest.fn() },
    counter(),
    counter(),
    counter(),
  );

describe('MailDeliveryService.inBackground', () => {
  it('returns before the attempt ends, and shutdown waits for it', async () => {
    const delivery = service();
    let finish: () => void = () => undefined;
    let done = false;
    delivery.inBackground(
      'event-1',
      () =>
        new Promise<void>((resolve) => {
          finish = () => {
            done = true;
            resolve();
          };
        }),
    );
    expect(done).toBe(false);

    let shutDown = false;
    const shutdown = delivery.onApplicationShutdown().then(() => (shutDown = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(shutDown).toBe(false);
    finish();
    await shutdown;
    expect(done).toBe(true);
  });

  it('keeps a failed attempt from rejecting: the lease expires and the worker retries', async () => {
    const delivery = service();
    delivery.inBackground('event-2', () => Promise.reject(new Error('store away')));
    await expect(delivery.onApplicationShutdown()).resolves.toBeUndefined();
  });
});
