import { Injectable } from '@nestjs/common';
import { InjectMetric, makeCounterProvider } from '@willsoto/nestjs-prometheus';
import { Counter } from 'prom-client';

export const SAGA_OUTCOMES = ['confirmed', 'rejected', 'cancelled'] as const;
export type SagaOutcome = (typeof SAGA_OUTCOMES)[number];

const ORDERS_PLACED = 'microshop_orders_placed_total';
const ORDER_OUTCOMES = 'microshop_orders_total';

export const orderMetricProviders = [
  makeCounterProvider({ name: ORDERS_PLACED, help: 'Orders placed (PENDING)' }),
  makeCounterProvider({
    name: ORDER_OUTCOMES,
    help: 'Orders that reached an outcome of the saga',
    labelNames: ['outcome'],
  }),
];

/** Counted after the transaction that made the change committed. */
@Injectable()
export class OrderMetrics {
  constructor(
    @InjectMetric(ORDERS_PLACED) private readonly placedTotal: Counter,
    @InjectMetric(ORDER_OUTCOMES) private readonly outcomes: Counter<'outcome'>,
  ) {
    // Every outcome is exported from the start, so rates work before the first of each kind.
    for (const outcome of SAGA_OUTCOMES) this.outcomes.inc({ outcome }, 0);
  }

  placed(): void {
    this.placedTotal.inc();
  }

  outcome(outcome: SagaOutcome): void {
    this.outcomes.inc({ outcome });
  }
}
