/** Every migration, in order; imported explicitly so the bundled build carries them. */
export const MIGRATIONS: (new () => object)[] = [];
