import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import Fastify, { FastifyInstance } from 'fastify';

/**
 * `/metrics` on a port of its own (METRICS_PORT): Prometheus reaches it, while the API port that
 * ingresses and gateways route to has none.
 */
@Injectable()
export class MetricsListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly server: FastifyInstance = Fastify();

  constructor(private readonly port: number) {
    const metrics = new PrometheusController();
    this.server.get('/metrics', (_request, reply) => metrics.index(reply));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.server.listen({ port: this.port, host: '0.0.0.0' });
    new Logger('Metrics').log(`/metrics on http://127.0.0.1:${this.port}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server.close();
  }
}
