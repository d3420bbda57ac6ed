import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HEALTH_CHECKS, HealthModuleOptions } from './health-checks';
import { HealthController } from './health.controller';
import { ShutdownState } from './shutdown-state';

/**
 * `/health`, `/health/ready` and `/health/live` in Terminus format (docs/contract.md). Readiness
 * is down, first of all, once the app is shutting down (ShutdownState).
 */
@Module({})
export class HealthModule {
  static forRoot(options: HealthModuleOptions): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers: [
        ShutdownState,
        {
          provide: HEALTH_CHECKS,
          inject: [ShutdownState, ...options.inject],
          useFactory: (shutdown: ShutdownState, ...deps: unknown[]) => {
            const checks = options.useFactory(...deps);
            return { ...checks, readiness: [() => shutdown.check(), ...checks.readiness] };
          },
        },
      ],
      exports: [ShutdownState],
    };
  }
}
