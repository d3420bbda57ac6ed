import { ValidationError } from 'class-validator';
import { toFieldErrors } from './validation';

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
