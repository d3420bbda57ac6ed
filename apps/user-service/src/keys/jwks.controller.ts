import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@microshop/auth';
import { JwksDto } from './dto/jwks.dto';
import { SIGNING_KEYS, SigningKeys } from './signing-keys';

@ApiTags('auth')
@Controller('.well-known')
export class JwksController {
  constructor(@Inject(SIGNING_KEYS) private readonly keys: SigningKeys) {}

  @Public()
  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: 'The public key access tokens are verified with (RFC 7517)' })
  @ApiOkResponse({ type: JwksDto })
  getJwks(): JwksDto {
    return { keys: [this.keys.publicJwk as JwksDto['keys'][number]] };
  }
}
