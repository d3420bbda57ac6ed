import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { mongoOutbox } from '@microshop/events';
import { RefreshTokensModule } from '../refresh-tokens/refresh-tokens.module';
import { AdminAccount } from './admin-account';
import { PasswordHasher } from './password-hasher';
import { User, UserSchema } from './schemas/user.schema';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [
    MongooseModule.forFeature([{ name: User.name, schema: UserSchema }]),
    RefreshTokensModule,
  ],
  controllers: [UsersController],
  providers: [UsersService, PasswordHasher, AdminAccount, mongoOutbox(User.name)],
  exports: [UsersService],
})
export class UsersModule {}
