import { ApiProperty } from '@nestjs/swagger';

export class TokenPairDto {
  @ApiProperty({ description: 'ES256 JWT; send as `Authorization: Bearer <accessToken>`' })
  accessToken!: string;

  @ApiProperty({
    description:
      'Opaque; exchange it once at POST /auth/refresh for a new pair (reusing a spent one ends the session)',
  })
  refreshToken!: string;

  @ApiProperty({ example: 'Bearer' }) tokenType!: 'Bearer';

  @ApiProperty({ example: 900, description: 'Seconds until the access token expires' })
  expiresIn!: number;
}
