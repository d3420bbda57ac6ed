import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CategoryField,
  CURRENCIES,
  CurrencyField,
  DEFAULT_CURRENCY,
  DescriptionField,
  LIMITS,
  NameField,
  Optional,
  PriceCentsField,
  SkuField,
  StockField,
} from './product-fields';

export class CreateProductDto {
  @ApiProperty({
    example: 'LAMP-ARC-001',
    pattern: LIMITS.skuPattern.source,
    description:
      'Stock keeping unit, unique among products (case-insensitive); trimmed and stored upper-case',
  })
  @SkuField()
  sku!: string;

  @ApiProperty({
    example: 'Arc floor lamp',
    minLength: 1,
    maxLength: LIMITS.nameLength,
    pattern: '\\S',
    description: 'Trimmed; must not be blank',
  })
  @NameField()
  name!: string;

  @ApiPropertyOptional({
    example: 'Brushed steel arc lamp with a linen shade and a dimmable LED bulb.',
    maxLength: LIMITS.descriptionLength,
    default: '',
  })
  @Optional()
  @DescriptionField()
  description?: string;

  @ApiProperty({
    example: 'home-lighting',
    pattern: LIMITS.categoryPattern.source,
    maxLength: LIMITS.categoryLength,
  })
  @CategoryField()
  category!: string;

  @ApiProperty({
    example: 12999,
    type: 'integer',
    minimum: 0,
    maximum: LIMITS.maxPriceCents,
    description: 'Price in minor units of the currency (cents)',
  })
  @PriceCentsField()
  priceCents!: number;

  @ApiPropertyOptional({
    example: 'EUR',
    default: DEFAULT_CURRENCY,
    enum: CURRENCIES,
    description: 'ISO 4217 code',
  })
  @Optional()
  @CurrencyField()
  currency?: string;

  @ApiPropertyOptional({
    example: 25,
    type: 'integer',
    minimum: 0,
    maximum: LIMITS.maxStock,
    default: 0,
  })
  @Optional()
  @StockField()
  stock?: number;
}
