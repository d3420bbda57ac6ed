import {
  BadRequestException,
  ConflictException,
  Injectable,
  Logger,
  NotFoundException,
  OnModuleInit,
  PreconditionFailedException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { insertWithEvents, TOPICS, updateWithEvents } from '@microshop/events';
import {
  isMongoDuplicateKey,
  parseObjectId,
  retryUntilDone,
  ValidationFailedException,
} from '@microshop/runtime';
import { FilterQuery, Model, Types } from 'mongoose';
import { CreateProductDto } from './dto/create-product.dto';
import { ListProductsQuery } from './dto/list-products.query';
import { StockLevels } from '../stock/stock-levels';
import { ProductDto, ProductPageDto, toProductDto } from './dto/product.dto';
import { DEFAULT_CURRENCY, LIMITS } from './dto/product-fields';
import { UpdateProductDto } from './dto/update-product.dto';
import { afterPosition, decodeCursor, DEFAULT_SORT, encodeCursor, sortStage } from './page-cursor';
import { productDeletedEvent, productStateEvent } from './product-events';
import { Product, PRODUCT_PROJECTION, ProductState } from './schemas/product.schema';
import { nameSortKey, searchTokens } from './search-tokens';
import { VersionPrecondition } from './version-precondition';

export const DEFAULT_PAGE_SIZE = 20;
/** Rounds of read-then-conditional-write before giving up on a product that keeps changing. */
const MAX_WRITE_ATTEMPTS = 5;

const LIVE = { deletedAt: { $exists: false } } as const;

const notFound = () => new NotFoundException('Product not found');
const skuTaken = (sku: string) => new ConflictException(`A product with sku ${sku} already exists`);
const stale = (version: number) =>
  new PreconditionFailedException(`The product is at version ${version}; If-Match does not match`);

type Changes = Partial<Omit<ProductState, '_id' | 'version' | 'createdAt' | 'updatedAt'>>;

/**
 * The catalog, and the product API that shows each entry with its stock level (StockLevels). Every
 * catalog write is one conditional single-document update that bumps `version` and appends its
 * event to the document's outbox, so state and event are never apart, without multi-document
 * transactions. Stock changes are the stock level's own writes: they change neither `version`
 * nor the catalog's events.
 */
/** How long a create waits for the indexes (unique sku) before answering 503. */
const INDEX_WAIT_MS = 10_000;
const INDEX_RETRY_MAX_MS = 5_000;

@Injectable()
export class ProductsService implements OnModuleInit {
  private readonly logger = new Logger(ProductsService.name);
  private indexed = false;
  private indexesBuilt: Promise<void> = Promise.resolve();

  constructor(
    @InjectModel(Product.name) private readonly products: Model<Product>,
    private readonly stock: StockLevels,
  ) {}

  onModuleInit(): void {
    // The schema's indexes (unique sku among them) are built in the background, retrying while
    // the store is away, so the app boots without it; no product is created before they exist.
    this.indexesBuilt = this.buildIndexes();
  }

  async create(input: CreateProductDto): Promise<ProductDto> {
    await this.whenIndexed();
    const now = new Date();
    const state: ProductState = {
      _id: new Types.ObjectId(),
      sku: input.sku,
      name: input.name,
      description: input.description ?? '',
      category: input.category,
      priceCents: input.priceCents,
      currency: input.currency ?? DEFAULT_CURRENCY,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    const stock = input.stock ?? 0;
    // The level first: a product that exists always has one.
    await this.stock.open(state._id, stock);
    try {
      await this.products.create(
        insertWithEvents(
          {
            ...state,
            skuKey: state.sku,
            nameKey: nameSortKey(state.name),
            searchTokens: searchTokens(state.name, state.description),
          },
          [productStateEvent(TOPICS.PRODUCT_CREATED, state)],
        ),
      );
    } catch (err) {
      await this.stock.discard(state._id);
      if (isMongoDuplicateKey(err)) throw skuTaken(state.sku);
      throw err;
    }
    return toProductDto(state, stock);
  }

  async get(id: string): Promise<ProductDto> {
    const _id = parseObjectId(id);
    const product = _id && (await this.findLive(_id));
    if (!product) throw notFound();
    return toProductDto(product, await this.stock.available(_id));
  }

  async list(query: ListProductsQuery): Promise<ProductPageDto> {
    const sort = query.sort ?? DEFAULT_SORT;
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const filter: FilterQuery<Product> = { ...LIVE };
    if (query.category !== undefined) filter.category = query.category;
    const { minPrice, maxPrice } = query;
    if (minPrice !== undefined && maxPrice !== undefined && minPrice > maxPrice) {
      throw new ValidationFailedException([
        { field: 'maxPrice', message: 'maxPrice must not be less than minPrice' },
      ]);
    }
    if (minPrice !== undefined || maxPrice !== undefined) {
      filter.priceCents = {
        ...(minPrice !== undefined && { $gte: minPrice }),
        ...(maxPrice !== undefined && { $lte: maxPrice }),
      };
    }
    if (query.q !== undefined) filter.searchTokens = { $all: searchTokens(query.q) };
    if (query.cursor !== undefined) {
      Object.assign(filter, afterPosition(sort, decodeCursor(query.cursor, sort)));
    }
    const found = await this.products
      // The cursor needs the sort key, which the product shape lacks only for sort=name.
      .find(filter, sort === 'name' ? { ...PRODUCT_PROJECTION, nameKey: 1 } : PRODUCT_PROJECTION)
      .sort(sortStage(sort))
      .limit(limit + 1)
      .lean<(ProductState & { nameKey: string })[]>();
    const items = found.slice(0, limit);
    const last = items[items.length - 1];
    const stock = await Promise.all(items.map((p) => this.stock.available(p._id)));
    return {
      items: items.map((p, i) => toProductDto(p, stock[i])),
      nextCursor: found.length > limit && last ? encodeCursor(sort, last) : null,
    };
  }

  async update(
    id: string,
    input: UpdateProductDto,
    precondition?: VersionPrecondition,
  ): Promise<ProductDto> {
    const { stock, stockDelta, ...fields } = input;
    const changes = Object.fromEntries(
      Object.entries(fields).filter(([, value]) => value !== undefined),
    ) as Changes;
    if (Object.keys(changes).length === 0 && stock === undefined && stockDelta === undefined) {
      throw new BadRequestException('Send at least one field to change');
    }
    if (stock !== undefined && stockDelta !== undefined) {
      throw new ValidationFailedException([
        { field: 'stockDelta', message: 'stockDelta cannot be combined with stock' },
      ]);
    }
    const _id = parseObjectId(id);
    if (!_id) throw notFound();
    const product =
      Object.keys(changes).length > 0
        ? await this.updateCatalog(_id, changes, precondition)
        : await this.current(_id, precondition);
    // After the catalog write, which checked the precondition: a stale If-Match changes nothing.
    if (stock !== undefined) {
      if ((await this.stock.set(_id, stock)) === null) throw notFound();
      return toProductDto(product, stock);
    }
    if (stockDelta !== undefined) {
      const adjusted = await this.stock.adjust(_id, stockDelta, LIMITS.maxStock);
      if (adjusted.status === 'unknown') throw notFound();
      if (adjusted.status === 'out-of-range') {
        throw new ConflictException(
          `Stock is ${adjusted.available}; a change of ${stockDelta} would take it out of 0..${LIMITS.maxStock}`,
        );
      }
      return toProductDto(product, adjusted.available);
    }
    return toProductDto(product, await this.stock.available(_id));
  }

  /** The live product, after checking the precondition against it. */
  private async current(
    _id: Types.ObjectId,
    precondition?: VersionPrecondition,
  ): Promise<ProductState> {
    const current = await this.findLive(_id);
    if (!current) throw notFound();
    if (precondition && !precondition.matches(current.version)) throw stale(current.version);
    return current;
  }

  private async updateCatalog(
    _id: Types.ObjectId,
    changes: Changes,
    precondition?: VersionPrecondition,
  ): Promise<ProductState> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const current = await this.current(_id, precondition);
      const next: ProductState = {
        ...current,
        ...changes,
        version: current.version + 1,
        updatedAt: new Date(),
      };
      const set: Record<string, unknown> = { ...changes, updatedAt: next.updatedAt };
      if (changes.sku !== undefined) set.skuKey = changes.sku;
      if (changes.name !== undefined) set.nameKey = nameSortKey(changes.name);
      if (changes.name !== undefined || changes.description !== undefined) {
        set.searchTokens = searchTokens(next.name, next.description);
      }
      const written = await this.conditionalWrite(
        { _id, version: current.version, ...LIVE },
        updateWithEvents({ $set: set, $inc: { version: 1 } }, [
          productStateEvent(TOPICS.PRODUCT_UPDATED, next),
        ]),
      );
      if (written) return next;
      // Someone else wrote in between: re-read, and re-check the precondition against that.
    }
    throw new ConflictException('The product keeps changing concurrently; try again');
  }

  async remove(id: string, precondition?: VersionPrecondition): Promise<void> {
    const _id = parseObjectId(id);
    if (!_id) throw notFound();
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const current = await this.findLive(_id);
      if (!current) throw notFound();
      if (precondition && !precondition.matches(current.version)) throw stale(current.version);
      const deletedAt = new Date();
      const written = await this.conditionalWrite(
        { _id, version: current.version, ...LIVE },
        updateWithEvents(
          {
            $set: {
              deletedAt,
              updatedAt: deletedAt,
              skuKey: `deleted:${_id.toHexString()}`,
              searchTokens: [],
            },
            $inc: { version: 1 },
          },
          [productDeletedEvent({ ...current, version: current.version + 1 }, deletedAt)],
        ),
      );
      if (written) {
        // After the delete: a crash in between leaves a level that the saga may still take from,
        // for orders placed before order-service learnt of the deletion (it refuses later ones).
        await this.stock.retire(_id);
        return;
      }
    }
    throw new ConflictException('The product keeps changing concurrently; try again');
  }

  /** Which of these skus the catalog has ever had, deleted products included. */
  async knownSkus(skus: string[]): Promise<Set<string>> {
    const found = await this.products
      .find({ sku: { $in: skus } }, { sku: 1, _id: 0 })
      .lean<{ sku: string }[]>();
    return new Set(found.map((p) => p.sku));
  }

  /** Through the driver's collection: the catalog's hottest read (docs/decisions/0004-hot-path-costs.md). */
  private findLive(_id: Types.ObjectId): Promise<ProductState | null> {
    return this.products.collection.findOne<ProductState>(
      { _id, ...LIVE },
      { projection: PRODUCT_PROJECTION },
    );
  }

  /**
   * Applies the update when the filter (on `_id` and the version read) still matches; false when
   * someone else wrote first. The new state is known, as the write is conditional on the version
   * it was computed from (the local store's findAndModify has no projection: docs/decisions/0003).
   */
  private async conditionalWrite(
    filter: FilterQuery<Product>,
    update: Record<string, unknown>,
  ): Promise<boolean> {
    try {
      const result = await this.products.updateOne(filter, update);
      return result.matchedCount === 1;
    } catch (err) {
      if (isMongoDuplicateKey(err)) {
        const sku = (update.$set as { sku?: string } | undefined)?.sku ?? '';
        throw skuTaken(sku);
      }
      throw err;
    }
  }

  private async buildIndexes(): Promise<void> {
    await retryUntilDone(() => this.products.createIndexes(), {
      what: 'Product indexes not built yet',
      logger: this.logger,
      maxDelayMs: INDEX_RETRY_MAX_MS,
    });
    this.indexed = true;
  }

  private async whenIndexed(): Promise<void> {
    if (this.indexed) return;
    let timer: NodeJS.Timeout | undefined;
    const built = await Promise.race([
      this.indexesBuilt.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), INDEX_WAIT_MS))),
    ]).finally(() => clearTimeout(timer));
    if (!built) throw new ServiceUnavailableException('The product store is not available yet');
  }
}
