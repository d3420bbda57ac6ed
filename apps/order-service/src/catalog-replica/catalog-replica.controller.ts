import { Controller, Get, Param } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Roles } from '@microshop/auth';
import { ApiErrorDto } from '@microshop/runtime';
import { CatalogReplicaService } from './catalog-replica.service';
import { CatalogProductDto } from './dto/catalog-product.dto';

@ApiTags('catalog replica')
@ApiBearerAuth()
@Controller('catalog-products')
export class CatalogReplicaController {
  constructor(private readonly replica: CatalogReplicaService) {}

  @Get(':productId')
  @Roles('admin')
  @ApiOperation({
    summary: "A product as order-service's read model knows it",
    description:
      'For operators: which version of a product orders are priced from, and whether it is deleted.',
  })
  @ApiOkResponse({ type: CatalogProductDto })
  @ApiUnauthorizedResponse({ type: ApiErrorDto })
  @ApiForbiddenResponse({ type: ApiErrorDto })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  getCatalogProduct(@Param('productId') productId: string): Promise<CatalogProductDto> {
    return this.replica.findOne(productId);
  }
}
