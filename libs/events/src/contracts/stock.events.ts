import { Type } from 'class-transformer';
import { IsInt, IsString, IsUUID, Length, Min, ValidateNested } from 'class-validator';
import { StockLine } from './common';

export class StockReservedPayload {
  @IsUUID() orderId!: string;
  @ValidateNested({ each: true }) @Type(() => StockLine) items!: StockLine[];
}

export class UnavailableLine {
  @IsString() @Length(1, 64) productId!: string;
  @IsInt() @Min(1) requested!: number;
  @IsInt() @Min(0) available!: number;
}

export class StockRejectedPayload {
  @IsUUID() orderId!: string;
  @IsString() @Length(1, 500) reason!: string;
  @ValidateNested({ each: true }) @Type(() => UnavailableLine) unavailable!: UnavailableLine[];
}

export class StockReleasedPayload {
  @IsUUID() orderId!: string;
  @ValidateNested({ each: true }) @Type(() => StockLine) items!: StockLine[];
}
