import {
  DynamicModule,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { TypeOrmHealthIndicator } from '@nestjs/terminus';
import { InjectDataSource, TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { MysqlConnectionOptions } from 'typeorm/driver/mysql/MysqlConnectionOptions';
import { retryUntilDone } from './retry-until-done';

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 5_000;

/**
 * Connects the app's MySQL DataSource (and applies its migrations) in the background, retrying
 * until the database answers, so the app boots and answers liveness while MySQL is down; readiness
 * reports `mysql` down until then. `ready` settles once connected: the Kafka consumer waits for it,
 * so events are not burnt through retries into the dead-letter topic while there is no store.
 * Once connected, the driver's pool replaces connections lost to a later outage by itself.
 */
@Injectable()
export class MySqlConnection implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MySqlConnection.name);
  private stopped = false;
  private markReady: () => void = () => undefined;
  readonly ready: Promise<void> = new Promise((resolve) => (this.markReady = resolve));

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    void this.connect();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
  }

  private async connect(): Promise<void> {
    const connected = await retryUntilDone(() => this.dataSource.initialize(), {
      what: 'MySQL not connected',
      logger: this.logger,
      firstDelayMs: FIRST_RETRY_MS,
      maxDelayMs: MAX_RETRY_MS,
      stopped: () => this.stopped,
    });
    if (!connected) return;
    if (this.stopped) {
      await this.dataSource.destroy();
      return;
    }
    this.logger.log('MySQL connected, migrations applied');
    this.markReady();
  }
}

@Module({})
class MySqlStoreModule {}

/**
 * The app's MySQL store through TypeORM, connected lazily (see MySqlConnection). Entities come from
 * `TypeOrmModule.forFeature` (autoLoadEntities); the schema from the migrations, run at connect.
 */
export const mysqlStore = (
  options: Omit<MysqlConnectionOptions, 'type'> & { autoLoadEntities?: boolean },
): DynamicModule => ({
  module: MySqlStoreModule,
  global: true,
  imports: [TypeOrmModule.forRoot({ ...options, type: 'mysql', manualInitialization: true })],
  providers: [MySqlConnection],
  exports: [MySqlConnection],
});

/** Readiness checks for ServiceCoreModule's `storeChecks`. */
export const mysqlReadiness = {
  inject: [TypeOrmHealthIndicator],
  useFactory: (db: TypeOrmHealthIndicator) => [() => db.pingCheck('mysql', { timeout: 2_000 })],
};
