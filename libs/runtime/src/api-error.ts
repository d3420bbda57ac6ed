import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'items[0].quantity' }) field!: string;
  @ApiProperty({ example: 'quantity must not be greater than 100' }) message!: string;
}

/** The one error body every service returns (docs/contract.md, "Errors"). */
export class ApiErrorDto {
  @ApiProperty({ example: 400 }) statusCode!: number;
  @ApiProperty({ example: 'Bad Request' }) error!: string;
  @ApiProperty({ example: 'Validation failed' }) message!: string;
  @ApiPropertyOptional({ type: [FieldErrorDto] }) details?: FieldErrorDto[];
  @ApiPropertyOptional({ description: 'Present on 5xx; the same id is in the log line' })
  errorId?: string;
}
