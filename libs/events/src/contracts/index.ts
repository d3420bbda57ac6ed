export * from './common';
export * from './order.events';
export * from './product.events';
export * from './stock.events';
export * from './user.events';
