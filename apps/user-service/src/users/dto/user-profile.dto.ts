import { ApiProperty } from '@nestjs/swagger';
import { ROLES, Role } from '../schemas/user.schema';

/** What clients may see of an account: never the password hash or token material. */
export class UserProfileDto {
  @ApiProperty({ example: '665f1c2e9b1d8a0012345678' }) id!: string;
  @ApiProperty({ example: 'ada@example.com' }) email!: string;
  @ApiProperty({ example: 'Ada Lovelace' }) name!: string;
  @ApiProperty({ enum: ROLES, isArray: true, example: ['customer'] }) roles!: Role[];
  @ApiProperty({ example: '2026-11-24T12:00:00.000Z' }) createdAt!: string;
}

export const toProfile = (user: {
  _id: { toString(): string };
  email: string;
  name: string;
  roles: Role[];
  createdAt: Date;
}): UserProfileDto => ({
  id: user._id.toString(),
  email: user.email,
  name: user.name,
  roles: user.roles,
  createdAt: user.createdAt.toISOString(),
});
