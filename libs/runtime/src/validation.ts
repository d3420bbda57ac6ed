import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
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

/**
 * Global validation: DTOs are whitelists, so unknown or privileged fields (`roles`, `id`, ...)
 * are rejected with 400 rather than stored (mass-assignment guard).
 */
export const createValidationPipe = () =>
  new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new ValidationFailedException(toFieldErrors(errors)),
  });
