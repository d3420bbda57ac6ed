import { IsEmail, IsISO8601, IsString, Length } from 'class-validator';

export class UserRegisteredPayload {
  @IsString() @Length(1, 64) userId!: string;
  @IsEmail() email!: string;
  @IsString() @Length(1, 100) name!: string;
  @IsISO8601() registeredAt!: string;
}

export class UserDeletedPayload {
  @IsString() @Length(1, 64) userId!: string;
  @IsEmail() email!: string;
  @IsISO8601() deletedAt!: string;
}
