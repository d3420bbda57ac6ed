export * from './health-checks';
export * from './health.module';
export * from './http-metrics';
export * from './http-tracing';
export * from './logging.module';
export * from './metrics.module';
export * from './trace-ids';
export * from './tracing-shutdown';
