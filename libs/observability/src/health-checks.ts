import { InjectionToken } from '@nestjs/common';
import { HealthIndicatorFunction } from '@nestjs/terminus';

export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');

export interface HealthChecks {
  /** Dependencies that must answer for the app to take traffic. */
  readiness: HealthIndicatorFunction[];
  /** In-process conditions only (no pings): the app can still do its job. */
  liveness: HealthIndicatorFunction[];
}

export interface HealthModuleOptions {
  inject: InjectionToken[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  useFactory: (...deps: any[]) => HealthChecks;
}
