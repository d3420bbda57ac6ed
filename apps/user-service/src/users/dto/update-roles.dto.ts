import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsIn } from 'class-validator';
import { ROLES, Role } from '../schemas/user.schema';

export class UpdateRolesDto {
  @ApiProperty({
    enum: ROLES,
    isArray: true,
    example: ['customer', 'admin'],
    minItems: 1,
    maxItems: ROLES.length,
    uniqueItems: true,
  })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(ROLES.length)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles!: Role[];
}
