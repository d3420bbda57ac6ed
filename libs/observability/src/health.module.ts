import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HEALTH_CHECKS, HealthModuleOptions } from './health-checks';
import { HealthController } from './health.controller';

/** `/health`, `/health/ready` and `/health/live` in Terminus format (docs/contract.md). */
@Module({})
export class HealthModule {
  static forRoot(options: HealthModuleOptions): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers: [
        { provide: HEALTH_CHECKS, inject: options.inject, useFactory: options.useFactory },
      ],
    };
  }
}
