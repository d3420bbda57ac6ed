import { PageLimit } from '@microshop/runtime';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, MaxLength } from 'class-validator';

export class ListNotificationsQuery {
  @ApiPropertyOptional({
    example: 'ada@example.com',
    format: 'email',
    maxLength: 254,
    description: 'Only mails to this address (case-insensitive)',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsEmail()
  @MaxLength(254)
  recipient?: string;

  @PageLimit()
  limit: number = 20;
}
