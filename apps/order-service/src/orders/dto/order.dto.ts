import { ApiProperty } from '@nestjs/swagger';
import { ORDER_STATUSES, OrderStatus } from '../entities/order-status';

export class OrderItemDto {
  @ApiProperty({ example: '665f1c2e9b1d8c0012345678' }) productId!: string;
  @ApiProperty({ example: 'MUG-001' }) sku!: string;
  @ApiProperty({ example: 'Coffee mug' }) name!: string;
  @ApiProperty({ example: 1299 }) unitPriceCents!: number;
  @ApiProperty({ example: 2 }) quantity!: number;
  @ApiProperty({ example: 2598 }) lineTotalCents!: number;
}

export class OrderDto {
  @ApiProperty({ example: '3f1c9b6e-2d4a-4c8e-9a57-1b2c3d4e5f60' }) id!: string;
  @ApiProperty({ example: '665f1c2e9b1d8c00aaaaaaaa' }) userId!: string;
  @ApiProperty({ enum: ORDER_STATUSES, example: 'PENDING' }) status!: OrderStatus;
  @ApiProperty({ type: [OrderItemDto] }) items!: OrderItemDto[];
  @ApiProperty({ example: 2598, description: 'Sum of the lines, in minor units' })
  totalCents!: number;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ example: '2026-01-01T00:00:00.000Z' }) createdAt!: string;
  @ApiProperty({ example: '2026-01-01T00:00:00.000Z' }) updatedAt!: string;
}

export class OrderPageDto {
  @ApiProperty({ type: [OrderDto] }) items!: OrderDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'Pass as `cursor` for the next page; null on the last page',
  })
  nextCursor!: string | null;
}

export class OrderHistoryEntryDto {
  @ApiProperty({ enum: ORDER_STATUSES, example: 'CONFIRMED' }) status!: OrderStatus;
  @ApiProperty({ example: '2026-01-01T00:00:01.000Z' }) at!: string;
  @ApiProperty({ example: 'stock reserved' }) reason!: string;
}
