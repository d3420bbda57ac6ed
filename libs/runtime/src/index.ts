export * from './api-error';
export * from './api-exception.filter';
export * from './bootstrap';
export * from './validation';
export * from './service-core.module';
export * from './mongo-store';
export * from './openapi';
export * from './pagination';
