import { BadRequestException } from '@nestjs/common';
import { IsOptional, IsString, ValidationError } from 'class-validator';
import { createValidationPipe, toFieldErrors } from './validation';

const error = (
  property: string,
  constraints?: Record<string, string>,
  children: ValidationError[] = [],
) => Object.assign(new ValidationError(), { property, constraints, children });

describe('toFieldErrors', () => {
  it('names nested and array fields the way clients write them', () => {
    const errors = [
      error('items', undefined, [
        error('0', undefined, [
          error('quantity', { max: 'quantity must not be greater than 100' }),
        ]),
      ]),
      error('email', { isEmail: 'email must be an email' }),
    ];
    expect(toFieldErrors(errors)).toEqual([
      { field: 'items[0].quantity', message: 'quantity must not be greater than 100' },
      { field: 'email', message: 'email must be an email' },
    ]);
  });
});

describe('createValidationPipe', () => {
  class NameDto {
    @IsOptional()
    @IsString()
    name?: string;
  }
  const body = { type: 'body' as const, metatype: NameDto, data: '' };

  it.each([undefined, null, 'text', 42, [{ name: 'x' }]])(
    'rejects a body DTO sent as %p with 400',
    async (value) => {
      await expect(createValidationPipe().transform(value, body)).rejects.toBeInstanceOf(
        BadRequestException,
      );
    },
  );

  it('accepts an object, and leaves parameters without a DTO alone', async () => {
    await expect(createValidationPipe().transform({ name: 'x' }, body)).resolves.toEqual({
      name: 'x',
    });
    await expect(
      createValidationPipe().transform(undefined, { type: 'query', metatype: NameDto, data: '' }),
    ).resolves.toBeInstanceOf(NameDto);
  });
});
