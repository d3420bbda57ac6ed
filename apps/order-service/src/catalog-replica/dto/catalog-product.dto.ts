import { ApiProperty } from '@nestjs/swagger';
import { CatalogProduct } from '../entities/catalog-product.entity';

export class CatalogProductDto {
  @ApiProperty({ example: '665f1c2e9b1d8c0012345678' }) productId!: string;
  @ApiProperty({ example: 'MUG-001' }) sku!: string;
  @ApiProperty({ example: 'Coffee mug' }) name!: string;
  @ApiProperty({ example: 1299 }) priceCents!: number;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ example: 3, description: "The product's version in product-service" })
  version!: number;
  @ApiProperty({ example: false }) deleted!: boolean;
  @ApiProperty({ example: '2026-01-01T00:00:00.000Z' }) updatedAt!: string;
}

export const toCatalogProductDto = (p: CatalogProduct): CatalogProductDto => ({
  productId: p.productId,
  sku: p.sku,
  name: p.name,
  priceCents: p.priceCents,
  currency: p.currency,
  version: p.version,
  deleted: p.deleted,
  updatedAt: p.sourceUpdatedAt.toISOString(),
});
