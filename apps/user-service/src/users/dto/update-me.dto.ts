import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, Length, MaxLength, ValidateIf } from 'class-validator';
import { ApiSchemaConstraints } from '@microshop/runtime';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** What the account holder may change about themselves; anything else in the body is a 400. */
@ApiSchemaConstraints({
  // `password` needs `currentPassword`: not (password without currentPassword).
  not: { required: ['password'], not: { required: ['currentPassword'] } },
})
export class UpdateMeDto {
  @ApiPropertyOptional({
    example: 'Ada King',
    minLength: 1,
    maxLength: 100,
    pattern: '\\S',
    description: 'Trimmed; must not be blank',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  name?: string;

  @ApiPropertyOptional({
    example: 'a new correct horse battery staple',
    minLength: 8,
    maxLength: 128,
    description: 'The new password; needs `currentPassword`',
  })
  @IsOptional()
  @IsString()
  @Length(8, 128)
  password?: string;

  @ApiPropertyOptional({
    example: 'correct horse battery staple',
    minLength: 1,
    maxLength: 128,
    description: 'Required with `password`',
  })
  @ValidateIf((dto: UpdateMeDto) => dto.password !== undefined || dto.currentPassword !== undefined)
  @IsString({ message: 'currentPassword is required to change the password' })
  @IsNotEmpty({ message: 'currentPassword is required to change the password' })
  @MaxLength(128)
  currentPassword?: string;
}
