import { IsISO8601, IsInt, IsString, Length, Matches, Min } from 'class-validator';
import { CURRENCY_PATTERN } from './common';

/**
 * The catalog entry's full current state, so consumers can keep a replica without calling back.
 * Stock levels are not in it: they change with every order, without a catalog write.
 */
export class ProductStatePayload {
  @IsString() @Length(1, 64) productId!: string;
  @IsString() @Length(1, 64) sku!: string;
  @IsString() @Length(1, 200) name!: string;
  @IsString() description!: string;
  @IsString() category!: string;
  @IsInt() @Min(0) priceCents!: number;
  @Matches(CURRENCY_PATTERN) currency!: string;
  @IsInt() @Min(1) version!: number;
  @IsISO8601() updatedAt!: string;
}

export class ProductDeletedPayload {
  @IsString() @Length(1, 64) productId!: string;
  @IsString() @Length(1, 64) sku!: string;
  @IsInt() @Min(1) version!: number;
  @IsISO8601() deletedAt!: string;
}
