import { IsIn, IsISO8601, IsOptional, IsString, Length } from 'class-validator';
import { OrderSummary } from './common';

export class OrderCreatedPayload extends OrderSummary {
  @IsISO8601() createdAt!: string;
}

export class OrderConfirmedPayload extends OrderSummary {
  @IsISO8601() confirmedAt!: string;
}

export class OrderRejectedPayload extends OrderSummary {
  @IsString() @Length(1, 500) reason!: string;
  @IsISO8601() rejectedAt!: string;
}

export class OrderCancelledPayload extends OrderSummary {
  @IsIn(['PENDING', 'CONFIRMED']) previousStatus!: 'PENDING' | 'CONFIRMED';
  @IsOptional() @IsString() @Length(0, 500) reason?: string;
  @IsISO8601() cancelledAt!: string;
}
