import { OrdersSchema1764028800000 } from './1764028800000-orders-schema';

/** Every migration, in order; imported explicitly so the bundled build carries them. */
export const MIGRATIONS: (new () => object)[] = [OrdersSchema1764028800000];
