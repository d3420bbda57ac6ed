import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { ApiSchemaConstraints } from '@microshop/runtime';
import {
  CategoryField,
  CURRENCIES,
  CurrencyField,
  DescriptionField,
  LIMITS,
  NameField,
  Optional,
  PriceCentsField,
  SkuField,
  StockField,
} from './product-fields';

/** The fields to change; at least one. `stock` sets the count, `stockDelta` adjusts it. */
@ApiSchemaConstraints({ minProperties: 1, not: { required: ['stock', 'stockDelta'] } })
export class UpdateProductDto {
  @ApiPropertyOptional({ example: 'LAMP-ARC-002', pattern: LIMITS.skuPattern.source })
  @Optional()
  @SkuField()
  sku?: string;

  @ApiPropertyOptional({
    example: 'Arc floor lamp, walnut',
    minLength: 1,
    maxLength: LIMITS.nameLength,
    pattern: '\\S',
  })
  @Optional()
  @NameField()
  name?: string;

  @ApiPropertyOptional({ example: 'Now with a walnut base.', maxLength: LIMITS.descriptionLength })
  @Optional()
  @DescriptionField()
  description?: string;

  @ApiPropertyOptional({
    example: 'home-lighting',
    pattern: LIMITS.categoryPattern.source,
    maxLength: LIMITS.categoryLength,
  })
  @Optional()
  @CategoryField()
  category?: string;

  @ApiPropertyOptional({
    example: 11999,
    type: 'integer',
    minimum: 0,
    maximum: LIMITS.maxPriceCents,
  })
  @Optional()
  @PriceCentsField()
  priceCents?: number;

  @ApiPropertyOptional({ example: 'USD', enum: CURRENCIES, description: 'ISO 4217 code' })
  @Optional()
  @CurrencyField()
  currency?: string;

  @ApiPropertyOptional({ example: 40, type: 'integer', minimum: 0, maximum: LIMITS.maxStock })
  @Optional()
  @StockField()
  stock?: number;

  @ApiPropertyOptional({
    example: 20,
    type: 'integer',
    minimum: -LIMITS.maxStock,
    maximum: LIMITS.maxStock,
    description:
      'Adds to (or, negative, takes from) the current stock atomically; not together with stock. ' +
      '409 when stock would leave 0..1000000.',
  })
  @Optional()
  @IsInt()
  @Min(-LIMITS.maxStock)
  @Max(LIMITS.maxStock)
  stockDelta?: number;
}
