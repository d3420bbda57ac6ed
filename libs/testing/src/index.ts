export * from './factories';
export * from './http';
export * from './smtp-inbox';
export * from './wait-for';
export * from './kafka';
export * from './otlp-receiver';
export * from './promql';
