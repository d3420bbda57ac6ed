import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsInt,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

export const MAX_ORDER_LINES = 50;
export const MAX_LINE_QUANTITY = 100;

export class OrderItemInputDto {
  @ApiProperty({ example: '665f1c2e9b1d8c0012345678', minLength: 1, maxLength: 64 })
  @IsString()
  @Length(1, 64)
  productId!: string;

  @ApiProperty({ type: 'integer', example: 2, minimum: 1, maximum: MAX_LINE_QUANTITY })
  @IsInt()
  @Min(1)
  @Max(MAX_LINE_QUANTITY)
  quantity!: number;
}

export class CreateOrderDto {
  @ApiProperty({
    type: [OrderItemInputDto],
    minItems: 1,
    maxItems: MAX_ORDER_LINES,
    description: 'One line per product; prices and names come from the catalog',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ORDER_LINES)
  @ArrayUnique((line: OrderItemInputDto) => line?.productId, {
    message: 'items must not repeat a productId (one line per product)',
  })
  @ValidateNested({ each: true })
  @Type(() => OrderItemInputDto)
  items!: OrderItemInputDto[];
}
