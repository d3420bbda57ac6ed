import { PageLimit, toQueryInteger } from '@microshop/runtime';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { DEFAULT_SORT, PRODUCT_SORTS, ProductSort } from '../page-cursor';
import { CategoryField, LIMITS, Optional } from './product-fields';

export class ListProductsQuery {
  @PageLimit()
  limit?: number;

  @ApiPropertyOptional({
    description: 'nextCursor of the previous page, with the same sort',
    pattern: '^[A-Za-z0-9_-]+$',
    minLength: 1,
    maxLength: 2048,
  })
  @Optional()
  @IsString()
  @Length(1, 2048)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor is not a cursor this API returned' })
  cursor?: string;

  @ApiPropertyOptional({
    example: 'home-lighting',
    pattern: LIMITS.categoryPattern.source,
    maxLength: LIMITS.categoryLength,
  })
  @Optional()
  @CategoryField()
  category?: string;

  @ApiPropertyOptional({
    description: 'Lowest priceCents, inclusive',
    type: 'integer',
    minimum: 0,
    maximum: LIMITS.maxPriceCents,
  })
  @Optional()
  @Transform(toQueryInteger)
  @IsInt()
  @Min(0)
  @Max(LIMITS.maxPriceCents)
  minPrice?: number;

  @ApiPropertyOptional({
    description: 'Highest priceCents, inclusive; not below minPrice',
    type: 'integer',
    minimum: 0,
    maximum: LIMITS.maxPriceCents,
  })
  @Optional()
  @Transform(toQueryInteger)
  @IsInt()
  @Min(0)
  @Max(LIMITS.maxPriceCents)
  maxPrice?: number;

  @ApiPropertyOptional({
    example: 'linen lamp',
    description:
      'Words that must all appear in the name or description: whole words, case- and ' +
      'accent-insensitive; needs at least one letter or digit',
    maxLength: 200,
    // A letter or digit of any script, as the check below: Unicode-aware regex engines (the
    // fuzzer's) read it so; ECMA-262 ones read it as ASCII only, a narrower contract.
    pattern: '[^\\W_]',
  })
  @Optional()
  @IsString()
  @MaxLength(200)
  @Matches(/[\p{L}\p{N}]/u, { message: 'q must contain at least one letter or digit' })
  q?: string;

  @ApiPropertyOptional({ enum: PRODUCT_SORTS, default: DEFAULT_SORT })
  @Optional()
  @IsIn(PRODUCT_SORTS)
  sort?: ProductSort;
}
