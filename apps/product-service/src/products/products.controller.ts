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
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Public, Roles } from '@microshop/auth';
import { ApiErrors, linkById } from '@microshop/runtime';
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
  description: 'The version (ETag) the change is based on, e.g. "3" or 3; 412 when it is stale',
};
const NOT_FOUND = { status: 404, description: 'No such product (also for a malformed id)' };
const STALE = { status: 412, description: 'If-Match names a version that is no longer current' };

@ApiTags('products')
@Controller('products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Public()
  @Get()
  @ApiOkResponse({
    type: ProductPageDto,
    links: { getProduct: linkById('getProduct', { id: '$response.body#/items/0/id' }) },
  })
  listProducts(@Query() query: ListProductsQuery): Promise<ProductPageDto> {
    return this.products.list(query);
  }

  @Public()
  @Get(':id')
  @UseInterceptors(ETagInterceptor)
  @ApiOkResponse({ type: ProductDto, description: 'The product; its version is the ETag' })
  @ApiErrors(NOT_FOUND)
  getProduct(@Param('id') id: string): Promise<ProductDto> {
    return this.products.get(id);
  }

  @Roles('admin')
  @Post()
  @HttpCode(201)
  @UseInterceptors(ETagInterceptor)
  @ApiCreatedResponse({
    type: ProductDto,
    links: {
      getProduct: linkById('getProduct'),
      updateProduct: linkById('updateProduct', { ifMatch: true }),
      deleteProduct: linkById('deleteProduct', { ifMatch: true }),
    },
  })
  @ApiErrors({ status: 409, description: 'Another product has this sku' })
  createProduct(@Body() dto: CreateProductDto): Promise<ProductDto> {
    return this.products.create(dto);
  }

  @Roles('admin')
  @Patch(':id')
  @UseInterceptors(ETagInterceptor)
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: ProductDto, description: 'The product after the change' })
  @ApiErrors(NOT_FOUND, STALE, {
    status: 409,
    description: 'Another product has this sku, or stockDelta would take stock out of range',
  })
  updateProduct(
    @Param('id') id: string,
    @Body() dto: UpdateProductDto,
    @IfMatch() precondition?: VersionPrecondition,
  ): Promise<ProductDto> {
    return this.products.update(id, dto, precondition);
  }

  @Roles('admin')
  @Delete(':id')
  @HttpCode(204)
  @ApiHeader(IF_MATCH)
  @ApiNoContentResponse({ description: 'Deleted; its sku is free again' })
  @ApiErrors(NOT_FOUND, STALE)
  deleteProduct(
    @Param('id') id: string,
    @IfMatch() precondition?: VersionPrecondition,
  ): Promise<void> {
    return this.products.remove(id, precondition);
  }
}
