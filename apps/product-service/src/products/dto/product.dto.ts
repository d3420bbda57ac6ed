import { ApiProperty } from '@nestjs/swagger';
import { ProductState } from '../schemas/product.schema';

export class ProductDto {
  @ApiProperty({ example: '665f1c2e9b1d8a0012345678' }) id!: string;
  @ApiProperty({ example: 'LAMP-ARC-001' }) sku!: string;
  @ApiProperty({ example: 'Arc floor lamp' }) name!: string;
  @ApiProperty({ example: 'Brushed steel arc lamp with a linen shade.' }) description!: string;
  @ApiProperty({ example: 'home-lighting' }) category!: string;
  @ApiProperty({ example: 12999, description: 'Minor units of the currency' })
  priceCents!: number;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ example: 25 }) stock!: number;
  @ApiProperty({ example: '2026-11-24T12:00:00.000Z' }) createdAt!: string;
  @ApiProperty({ example: '2026-11-24T12:30:00.000Z' }) updatedAt!: string;
  @ApiProperty({ example: 3, description: 'Incremented by every write; the ETag' })
  version!: number;
}

export class ProductPageDto {
  @ApiProperty({ type: [ProductDto] }) items!: ProductDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as cursor for the next page; null on the last page',
  })
  nextCursor!: string | null;
}

/** The catalog entry with its stock level, as the API shows a product. */
export const toProductDto = (p: ProductState, stock: number): ProductDto => ({
  id: p._id.toHexString(),
  sku: p.sku,
  name: p.name,
  description: p.description,
  category: p.category,
  priceCents: p.priceCents,
  currency: p.currency,
  stock,
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
  version: p.version,
});
