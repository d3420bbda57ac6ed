import { ConflictException, Injectable } from '@nestjs/common';
import { ProductsService } from '../products/products.service';
import { demoCatalog } from './demo-catalog';

const BATCH = 20;

export interface SeedResult {
  created: number;
  alreadyKnown: number;
}

/**
 * Loads the demo catalog through the catalog service, so each new product is written with its
 * `product.created` event (published by the running service's outbox relay). Idempotent: a sku
 * the catalog has ever had, deleted or edited since, is left alone.
 */
@Injectable()
export class DemoCatalogSeeder {
  constructor(private readonly products: ProductsService) {}

  async seed(): Promise<SeedResult> {
    const catalog = demoCatalog();
    const known = await this.products.knownSkus(catalog.map((p) => p.sku));
    const missing = catalog.filter((p) => !known.has(p.sku));
    let created = 0;
    for (let i = 0; i < missing.length; i += BATCH) {
      const results = await Promise.all(
        missing.slice(i, i + BATCH).map((product) =>
          this.products.create(product).then(
            () => true,
            (err: unknown) => {
              // Created meanwhile by a concurrent seed: that is the state we want.
              if (err instanceof ConflictException) return false;
              throw err;
            },
          ),
        ),
      );
      created += results.filter(Boolean).length;
    }
    return { created, alreadyKnown: catalog.length - created };
  }
}
