import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateProductDto } from '../products/dto/create-product.dto';
import { demoCatalog } from './demo-catalog';

describe('demoCatalog', () => {
  const catalog = demoCatalog();

  it('is a few hundred products over a dozen categories', () => {
    expect(catalog.length).toBeGreaterThanOrEqual(250);
    expect(catalog.length).toBeLessThanOrEqual(400);
    expect(new Set(catalog.map((p) => p.category)).size).toBe(12);
  });

  it('is the same on every run', () => {
    expect(demoCatalog()).toEqual(catalog);
  });

  it('has unique skus and names', () => {
    expect(new Set(catalog.map((p) => p.sku)).size).toBe(catalog.length);
    expect(new Set(catalog.map((p) => p.name)).size).toBe(catalog.length);
  });

  it('passes the API validation of a new product', () => {
    for (const product of catalog) {
      const errors = validateSync(plainToInstance(CreateProductDto, product), {
        whitelist: true,
        forbidNonWhitelisted: true,
      });
      expect({ sku: product.sku, errors }).toEqual({ sku: product.sku, errors: [] });
    }
  });
});
