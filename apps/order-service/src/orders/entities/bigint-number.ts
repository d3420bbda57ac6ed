import { ValueTransformer } from 'typeorm';

/** BIGINT columns come back from mysql2 as strings; money in minor units fits a JS number. */
export const bigintNumber: ValueTransformer = {
  to: (value: number | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};
