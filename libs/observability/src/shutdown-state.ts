import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';

/**
 * Whether the app is shutting down: readiness then answers 503, so that load balancers take the
 * replica out of rotation while it still serves what reaches it.
 */
@Injectable()
export class ShutdownState {
  private since: number | null = null;

  constructor(private readonly health: HealthIndicatorService) {}

  begin(): void {
    this.since ??= Date.now();
  }

  get draining(): boolean {
    return this.since !== null;
  }

  check(): HealthIndicatorResult {
    const indicator = this.health.check('shutdown');
    return this.since === null
      ? indicator.up()
      : indicator.down({ message: 'shutting down: finishing the requests in flight' });
  }
}
