import { PageLimit } from '@microshop/runtime';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { ORDER_STATUSES, OrderStatus } from '../entities/order-status';

export class ListOrdersQuery {
  @PageLimit()
  limit?: number;

  @ApiPropertyOptional({
    description: "The previous page's `nextCursor`",
    minLength: 1,
    maxLength: 200,
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  cursor?: string;

  @ApiPropertyOptional({ enum: ORDER_STATUSES })
  @IsOptional()
  @IsIn(ORDER_STATUSES)
  status?: OrderStatus;

  @ApiPropertyOptional({
    description: "Admins only: one customer's orders",
    minLength: 1,
    maxLength: 64,
  })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  userId?: string;
}
