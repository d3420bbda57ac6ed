import { Body, Controller, Get, Module, Param, Patch, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ApiProperty, ApiPropertyOptional, OpenAPIObject } from '@nestjs/swagger';
import { Public, Roles } from '@microshop/auth';
import { ApiErrors, ApiSchemaConstraints, createOpenApiDocument } from './openapi';

class PartDto {
  @ApiProperty()
  label!: string;
}

@ApiSchemaConstraints({ minProperties: 1 })
class ChangeThingDto {
  @ApiPropertyOptional()
  name?: string;

  @ApiPropertyOptional({ type: [PartDto] })
  parts?: PartDto[];
}

@Controller('things')
class ThingsController {
  @Public()
  @Get()
  listThings() {
    return [];
  }

  @Get(':id')
  @ApiErrors(404)
  getThing(@Param('id') id: string) {
    return id;
  }

  @Patch(':id')
  changeThing(@Param('id') id: string, @Body() change: ChangeThingDto) {
    return { id, change };
  }

  @Roles('admin')
  @Post()
  @ApiErrors({ status: 409, description: 'Name taken' })
  createThing() {
    return {};
  }
}

@Public()
@Controller('other')
class OtherController {
  @Get()
  listThings() {
    return [];
  }
}

@Module({ controllers: [ThingsController, OtherController] })
class TestModule {}

describe('createOpenApiDocument', () => {
  let doc: OpenAPIObject;

  beforeAll(async () => {
    const app = await NestFactory.create(TestModule, new FastifyAdapter(), { logger: false });
    doc = createOpenApiDocument(app, { title: 'test', description: 'test' });
    await app.close();
  });

  it('names operations after the controller methods, prefixing a repeated name', () => {
    expect(doc.paths['/things']?.get?.operationId).toBe('listThings');
    expect(doc.paths['/things/{id}']?.get?.operationId).toBe('getThing');
    expect(doc.paths['/other']?.get?.operationId).toBe('otherListThings');
  });

  it('requires the bearer token, and documents 401, on routes that are not @Public()', () => {
    expect(doc.paths['/things']?.get?.security).toBeUndefined();
    expect(doc.paths['/things']?.get?.responses['401']).toBeUndefined();
    expect(doc.paths['/other']?.get?.security).toBeUndefined();
    expect(doc.paths['/things/{id}']?.get?.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/things/{id}']?.get?.responses['401']).toBeDefined();
    expect(doc.components?.securitySchemes?.bearer).toMatchObject({ scheme: 'bearer' });
  });

  it('documents 403 on routes with @Roles()', () => {
    expect(doc.paths['/things']?.post?.responses['403']).toBeDefined();
    expect(doc.paths['/things/{id}']?.get?.responses['403']).toBeUndefined();
  });

  it('documents the error body for declared errors, 400 where there is input, and 500 everywhere', () => {
    const errorBody = {
      'application/json': { schema: { $ref: '#/components/schemas/ApiErrorDto' } },
    };
    const get = doc.paths['/things/{id}']?.get;
    expect(get?.responses['404']).toEqual({ description: 'Not found', content: errorBody });
    expect(get?.responses['400']).toMatchObject({ content: errorBody });
    expect(get?.responses['500']).toMatchObject({ content: errorBody });
    expect(doc.paths['/things']?.get?.responses['400']).toBeUndefined();
    expect(doc.paths['/things']?.post?.responses['409']).toEqual({
      description: 'Name taken',
      content: errorBody,
    });
  });

  it('closes request body schemas and those nested in them, and adds @ApiSchemaConstraints', () => {
    const schemas = doc.components?.schemas ?? {};
    expect(schemas.ChangeThingDto).toMatchObject({ additionalProperties: false, minProperties: 1 });
    expect(schemas.PartDto).toMatchObject({ additionalProperties: false });
  });
});
