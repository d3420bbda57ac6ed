import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ThrottlerModule } from '@nestjs/throttler';
import { UserServiceConfig } from '../config';
import { USER_SERVICE_CONFIG } from '../config.module';
import { authThrottlerOptions } from './auth-throttler.guard';
import { MongoThrottlerStorage } from './mongo-throttler.storage';
import { ThrottleCounter, ThrottleCounterSchema } from './schemas/throttle-counter.schema';

@Module({
  imports: [
    MongooseModule.forFeature([{ name: ThrottleCounter.name, schema: ThrottleCounterSchema }]),
  ],
  providers: [MongoThrottlerStorage],
  exports: [MongoThrottlerStorage],
})
export class ThrottleStoreModule {}

/** Throttling for the routes that use `AuthThrottlerGuard`, counted in MongoDB. */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      imports: [ThrottleStoreModule],
      inject: [MongoThrottlerStorage, USER_SERVICE_CONFIG],
      useFactory: (storage: MongoThrottlerStorage, config: UserServiceConfig) =>
        authThrottlerOptions(config.throttle, storage),
    }),
  ],
})
export class ThrottlingModule {}
