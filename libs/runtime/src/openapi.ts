import { applyDecorators, INestApplication, Type } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { ApiResponse, DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type {
  OperationObject,
  ReferenceObject,
  ResponseObject,
  SchemaObject,
  LinkObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { IS_PUBLIC, REQUIRED_ROLES } from '@microshop/auth';
import { ApiErrorDto } from './api-error';

/** The security scheme every protected operation requires (DocumentBuilder.addBearerAuth's name). */
export const BEARER_SCHEME = 'bearer';

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request: malformed or unknown fields, parameters out of range (`details` lists each field)',
  401: 'Missing, malformed, expired or revoked bearer token',
  403: 'Signed in, but without the role this operation needs',
  404: 'Not found',
  409: 'Conflicts with the current state',
  412: 'If-Match names a version that is no longer current',
  422: 'Well-formed, but refers to something that cannot be used',
  429: 'Too many requests; retry later',
  500: 'Unexpected error; `errorId` is also in the log line',
};

export type ApiErrorSpec = number | { status: number; description: string };

/**
 * Documents error responses with the contract's error body: `@ApiErrors(400, 404)`, or with a
 * specific description: `@ApiErrors({ status: 409, description: 'SKU already exists' })`.
 */
export function ApiErrors(...errors: ApiErrorSpec[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...errors.map((e) => {
      const { status, description } =
        typeof e === 'number' ? { status: e, description: ERROR_DESCRIPTIONS[e] } : e;
      return ApiResponse({ status, description, type: ApiErrorDto });
    }),
  );
}

const schemaConstraints = new Map<Type<unknown>, SchemaObject>();

/**
 * JSON Schema keywords for a DTO's schema that its properties cannot say, e.g. `minProperties: 1`
 * or `not: { required: ['stock', 'stockDelta'] }`, merged into the component schema named after
 * the class. The DTO or its service must enforce them: the document only states them.
 */
export function ApiSchemaConstraints(constraints: SchemaObject): ClassDecorator {
  return (target) => {
    schemaConstraints.set(target as unknown as Type<unknown>, constraints);
  };
}

interface RouteAccess {
  isPublic: boolean;
  roles: string[];
}

/**
 * Builds the service's OpenAPI document with the conventions every service shares:
 * - operation ids are the controller method names (`listOrders`, `getProduct`), which make good
 *   method names in generated clients; a name used twice in one service gets its controller's name
 *   as a prefix instead of silently colliding;
 * - every route that is not `@Public()` requires the bearer token and documents 401; routes with
 *   `@Roles(...)` also document 403 (read from the same metadata the auth guard enforces);
 * - every operation with parameters or a body documents the validation 400, and every operation
 *   documents the 500 body;
 * - request bodies are whitelists (unknown fields are a 400), so their schemas and the schemas
 *   nested in them say `additionalProperties: false`; `@ApiSchemaConstraints` adds the rest.
 */
export function createOpenApiDocument(
  app: INestApplication,
  api: { title: string; description: string },
): OpenAPIObject {
  const access = routeAccess(app);
  const byOperationId = new Map<string, RouteAccess>();
  const used = new Set<string>();
  const config = new DocumentBuilder()
    .setTitle(api.title)
    .setDescription(api.description)
    .setVersion('1.0.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER_SCHEME)
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: [ApiErrorDto],
    operationIdFactory: (controllerKey, methodKey) => {
      let id = methodKey;
      if (used.has(id)) {
        const prefix = controllerKey.replace(/Controller$/, '');
        id = prefix.charAt(0).toLowerCase() + prefix.slice(1) + upperFirst(methodKey);
      }
      used.add(id);
      const route = access.get(`${controllerKey}.${methodKey}`);
      if (route) byOperationId.set(id, route);
      return id;
    },
  });
  for (const pathItem of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'patch', 'delete'] as const) {
      const operation = pathItem[method];
      if (!operation) continue;
      const route = operation.operationId ? byOperationId.get(operation.operationId) : undefined;
      applyConventions(operation, route ?? { isPublic: false, roles: [] });
    }
  }
  closeRequestSchemas(document);
  return document;
}

/**
 * An OpenAPI link from a response carrying a resource to an operation on it by `id` (found at the
 * runtime expression `id`), with its ETag as `If-Match` where the operation takes one: clients
 * (and schemathesis' stateful phase) follow it with a real id.
 */
export const linkById = (
  operationId: string,
  { ifMatch = false, id = '$response.body#/id' } = {},
): LinkObject => ({
  operationId,
  parameters: {
    id,
    ...(ifMatch && { 'header.If-Match': '$response.header.ETag' }),
  },
});

/** `additionalProperties: false` on every schema a request body uses, and the class constraints. */
function closeRequestSchemas(document: OpenAPIObject): void {
  const schemas = document.components?.schemas ?? {};
  for (const [type, constraints] of schemaConstraints) {
    const schema = schemas[type.name];
    if (schema && !('$ref' in schema)) Object.assign(schema, constraints);
  }
  const closed = new Set<SchemaObject>();
  const close = (schema: SchemaObject | ReferenceObject | undefined): void => {
    if (!schema) return;
    if ('$ref' in schema) {
      return close(schemas[schema.$ref.replace('#/components/schemas/', '')]);
    }
    if (closed.has(schema)) return;
    closed.add(schema);
    if (schema.type === 'object' || schema.properties) {
      schema.additionalProperties ??= false;
      Object.values(schema.properties ?? {}).forEach(close);
    }
    close(schema.items);
    [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])].forEach(close);
  };
  for (const pathItem of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'patch', 'delete'] as const) {
      const body = pathItem[method]?.requestBody;
      if (!body || '$ref' in body) continue;
      Object.values(body.content).forEach((media) => close(media.schema));
    }
  }
}

function applyConventions(operation: OperationObject, route: RouteAccess): void {
  const responses = operation.responses;
  for (const [status, response] of Object.entries(responses)) {
    const fallback = ERROR_DESCRIPTIONS[Number(status)];
    if (fallback && response && 'description' in response && !response.description) {
      response.description = fallback;
    }
  }
  const addError = (status: number) => {
    if (responses[String(status)]) return;
    const response: ResponseObject = {
      description: ERROR_DESCRIPTIONS[status],
      content: {
        'application/json': { schema: { $ref: `#/components/schemas/${ApiErrorDto.name}` } },
      },
    };
    responses[String(status)] = response;
  };
  if (route.isPublic) {
    delete operation.security;
  } else {
    operation.security = [{ [BEARER_SCHEME]: [] }];
    addError(401);
    if (route.roles.length) addError(403);
  }
  if ((operation.parameters?.length ?? 0) > 0 || operation.requestBody) addError(400);
  addError(500);
  operation.responses = sortResponses(responses);
}

function sortResponses(responses: OperationObject['responses']): OperationObject['responses'] {
  return Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
}

/** `Controller.method` → whether the route is public and which roles it needs. */
function routeAccess(app: INestApplication): Map<string, RouteAccess> {
  const result = new Map<string, RouteAccess>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type<unknown> | null;
      if (!controller?.prototype) continue;
      for (const { key, handler } of routeHandlers(controller)) {
        const isPublic: unknown =
          Reflect.getMetadata(IS_PUBLIC, handler) ?? Reflect.getMetadata(IS_PUBLIC, controller);
        const roles: unknown =
          Reflect.getMetadata(REQUIRED_ROLES, handler) ??
          Reflect.getMetadata(REQUIRED_ROLES, controller);
        result.set(`${controller.name}.${key}`, {
          isPublic: isPublic === true,
          roles: Array.isArray(roles) ? (roles as string[]) : [],
        });
      }
    }
  }
  return result;
}

function* routeHandlers(controller: Type<unknown>): Generator<{ key: string; handler: object }> {
  const seen = new Set<string>();
  for (let proto = controller.prototype as object; proto && proto !== Object.prototype;) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === 'constructor' || seen.has(key)) continue;
      const descriptor = Object.getOwnPropertyDescriptor(proto, key);
      const handler: unknown = descriptor?.value;
      if (typeof handler !== 'function') continue;
      if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
      seen.add(key);
      yield { key, handler };
    }
    proto = Object.getPrototypeOf(proto) as object;
  }
}

const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
