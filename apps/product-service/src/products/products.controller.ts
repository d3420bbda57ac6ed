import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiPreconditionFailedResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Public, Roles } from '@microshop/auth';
import { ApiErrorDto } from '@microshop/runtime';
import { CreateProductDto } from './dto/create-product.dto';
import { ListProductsQuery } from './dto/list-products.query';
import { ProductDto, ProductPageDto } from './dto/product.dto';
import { UpdateProductDto } from './dto/update-product.dto';
import { ETagInterceptor } from './etag.interceptor';
import { ProductsService } from './products.service';
import { IfMatch, VersionPrecondition } from './version-precondition';

const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description: 'The version (ETag) the change is based on, e.g. "3"; 412 when it is stale',
};

@ApiTags('products')
@Controller('products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Public()
  @Get()
  @ApiOkResponse({ type: ProductPageDto })
  @ApiBadRequestResponse({ type: ApiErrorDto, description: 'A parameter is invalid' })
  list(@Query() query: ListProductsQuery): Promise<ProductPageDto> {
    return this.products.list(query);
  }

  @Public()
  @Get(':id')
  @UseInterceptors(ETagInterceptor)
  @ApiOkResponse({ type: ProductDto, description: 'The product; its version is the ETag' })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'No such product (or a malformed id)' })
  get(@Param('id') id: string): Promise<ProductDto> {
    return this.products.get(id);
  }

  @Roles('admin')
  @Post()
  @HttpCode(201)
  @UseInterceptors(ETagInterceptor)
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: ProductDto })
  @ApiBadRequestResponse({ type: ApiErrorDto })
  @ApiUnauthorizedResponse({ type: ApiErrorDto })
  @ApiForbiddenResponse({ type: ApiErrorDto, description: 'Not an admin' })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'The sku is taken' })
  create(@Body() dto: CreateProductDto): Promise<ProductDto> {
    return this.products.create(dto);
  }

  @Roles('admin')
  @Patch(':id')
  @UseInterceptors(ETagInterceptor)
  @ApiBearerAuth()
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: ProductDto })
  @ApiBadRequestResponse({ type: ApiErrorDto })
  @ApiUnauthorizedResponse({ type: ApiErrorDto })
  @ApiForbiddenResponse({ type: ApiErrorDto, description: 'Not an admin' })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  @ApiConflictResponse({
    type: ApiErrorDto,
    description: 'The sku is taken, or stockDelta would take stock out of range',
  })
  @ApiPreconditionFailedResponse({ type: ApiErrorDto, description: 'If-Match is stale' })
  update(
    @Param('id') id: string,
    @Body() dto: UpdateProductDto,
    @IfMatch() precondition?: VersionPrecondition,
  ): Promise<ProductDto> {
    return this.products.update(id, dto, precondition);
  }

  @Roles('admin')
  @Delete(':id')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiHeader(IF_MATCH)
  @ApiNoContentResponse({ description: 'Deleted; its sku is free again' })
  @ApiUnauthorizedResponse({ type: ApiErrorDto })
  @ApiForbiddenResponse({ type: ApiErrorDto, description: 'Not an admin' })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  @ApiPreconditionFailedResponse({ type: ApiErrorDto, description: 'If-Match is stale' })
  remove(@Param('id') id: string, @IfMatch() precondition?: VersionPrecondition): Promise<void> {
    return this.products.remove(id, precondition);
  }
}
