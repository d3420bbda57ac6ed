import {
  ArgumentMetadata,
  BadRequestException,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import { FieldErrorDto } from './api-error';

/** Thrown for invalid input; carries one entry per offending field. */
export class ValidationFailedException extends BadRequestException {
  constructor(readonly details: FieldErrorDto[]) {
    super('Validation failed');
  }
}

const join = (parent: string, property: string) =>
  /^\d+$/.test(property) ? `${parent}[${property}]` : parent ? `${parent}.${property}` : property;

export function toFieldErrors(errors: ValidationError[], parent = ''): FieldErrorDto[] {
  return errors.flatMap((error) => {
    const field = join(parent, error.property);
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...toFieldErrors(error.children ?? [], field)];
  });
}

const BUILT_IN_TYPES: unknown[] = [String, Boolean, Number, Array, Object];

/**
 * DTO validation that also requires the body a DTO describes: a missing body, or JSON that is not
 * an object, is a 400 rather than an empty DTO (`PATCH /users/me` with no body changes nothing
 * and must not pass for a valid request).
 */
class DtoValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const isDto =
      typeof metadata.metatype === 'function' && !BUILT_IN_TYPES.includes(metadata.metatype);
    if (
      metadata.type === 'body' &&
      isDto &&
      (value === null || typeof value !== 'object' || Array.isArray(value))
    ) {
      throw new BadRequestException('The request body must be a JSON object');
    }
    return super.transform(value, metadata);
  }
}

/**
 * Global validation: DTOs are whitelists, so unknown or privileged fields (`roles`, `id`, ...)
 * are rejected with 400 rather than stored (mass-assignment guard).
 */
export const createValidationPipe = (): ValidationPipe =>
  new DtoValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new ValidationFailedException(toFieldErrors(errors)),
  });
