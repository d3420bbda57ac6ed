export * from './health-checks';
export * from './health.module';
export * from './http-metrics';
export * from './logging.module';
export * from './metrics.module';
