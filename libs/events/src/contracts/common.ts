import { Type } from 'class-transformer';
import {
  IsEmail,
  IsInt,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

/** ISO 4217 currency code, upper case. */
export const CURRENCY_PATTERN = /^[A-Z]{3}$/;

export class OrderLine {
  @IsString() @Length(1, 64) productId!: string;
  @IsString() @Length(1, 64) sku!: string;
  @IsString() @Length(1, 200) name!: string;
  @IsInt() @Min(0) unitPriceCents!: number;
  @IsInt() @Min(1) @Max(100) quantity!: number;
  @IsInt() @Min(0) lineTotalCents!: number;
}

export class StockLine {
  @IsString() @Length(1, 64) productId!: string;
  @IsInt() @Min(1) quantity!: number;
}

export class OrderSummary {
  @IsUUID() orderId!: string;
  @IsString() @Length(1, 64) userId!: string;
  @IsEmail() customerEmail!: string;
  @ValidateNested({ each: true }) @Type(() => OrderLine) items!: OrderLine[];
  @IsInt() @Min(0) totalCents!: number;
  @Matches(CURRENCY_PATTERN) currency!: string;
}
