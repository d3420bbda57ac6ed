import { ApiProperty } from '@nestjs/swagger';
import { UserProfileDto } from './user-profile.dto';

export class UsersPageDto {
  @ApiProperty({ type: [UserProfileDto] }) items!: UserProfileDto[];
  @ApiProperty({ example: 42, description: 'Live accounts in all (deleted ones are not counted)' })
  total!: number;
}
