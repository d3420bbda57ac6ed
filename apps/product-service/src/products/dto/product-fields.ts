import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';

/** Limits of the product fields (docs/contract.md, product-service). */
export const LIMITS = {
  skuPattern: /^[A-Z0-9][A-Z0-9._-]{1,63}$/,
  nameLength: 200,
  descriptionLength: 5_000,
  categoryPattern: /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
  categoryLength: 64,
  maxPriceCents: 1_000_000_000,
  maxStock: 1_000_000,
} as const;

/** Active ISO 4217 codes, as the runtime's ICU data knows them. */
export const CURRENCIES: readonly string[] = Intl.supportedValuesOf('currency');
export const DEFAULT_CURRENCY = 'USD';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const trimUpper = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toUpperCase() : value;

/** May be left out, but not sent as null (which would erase the field). */
export const Optional = () => ValidateIf((_: object, value: unknown) => value !== undefined);

export const SkuField = () =>
  applyDecorators(
    Transform(trimUpper),
    IsString(),
    Matches(LIMITS.skuPattern, {
      message:
        'sku must be 2-64 characters: letters, digits, ".", "_" or "-", starting with a letter or digit',
    }),
  );

export const NameField = () =>
  applyDecorators(Transform(trim), IsString(), Length(1, LIMITS.nameLength));

export const DescriptionField = () =>
  applyDecorators(IsString(), MaxLength(LIMITS.descriptionLength));

export const CategoryField = () =>
  applyDecorators(
    IsString(),
    MaxLength(LIMITS.categoryLength),
    Matches(LIMITS.categoryPattern, {
      message: 'category must be a lower-case slug such as "home-office"',
    }),
  );

export const PriceCentsField = () => applyDecorators(IsInt(), Min(0), Max(LIMITS.maxPriceCents));

export const CurrencyField = () =>
  applyDecorators(
    Transform(trimUpper),
    IsIn(CURRENCIES, { message: 'currency must be an ISO 4217 code such as USD or EUR' }),
  );

export const StockField = () => applyDecorators(IsInt(), Min(0), Max(LIMITS.maxStock));
