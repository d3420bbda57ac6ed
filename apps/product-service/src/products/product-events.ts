import {
  createEnvelope,
  currentEventContext,
  OutgoingEvent,
  ProductStatePayload,
  TOPICS,
} from '@microshop/events';
import { SERVICE_NAME } from '../config';
import { ProductState } from './schemas/product.schema';

/** The product's state as `product.created` / `product.updated` carry it. */
export const productStatePayload = (p: ProductState): ProductStatePayload => ({
  productId: p._id.toHexString(),
  sku: p.sku,
  name: p.name,
  description: p.description,
  category: p.category,
  priceCents: p.priceCents,
  currency: p.currency,
  version: p.version,
  updatedAt: p.updatedAt.toISOString(),
});

const origin = () => ({ producer: SERVICE_NAME, ...currentEventContext() });

/** An event with the product's new state, keyed by its id (one product's events stay in order). */
export const productStateEvent = (
  topic: typeof TOPICS.PRODUCT_CREATED | typeof TOPICS.PRODUCT_UPDATED,
  state: ProductState,
): OutgoingEvent => ({
  key: state._id.toHexString(),
  envelope: createEnvelope(topic, productStatePayload(state), origin()),
});

export const productDeletedEvent = (
  state: Pick<ProductState, '_id' | 'sku' | 'version'>,
  deletedAt: Date,
): OutgoingEvent => ({
  key: state._id.toHexString(),
  envelope: createEnvelope(
    TOPICS.PRODUCT_DELETED,
    {
      productId: state._id.toHexString(),
      sku: state.sku,
      version: state.version,
      deletedAt: deletedAt.toISOString(),
    },
    origin(),
  ),
});
