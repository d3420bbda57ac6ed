/**
 * Where user-service keeps the development signing key it generates on first start when no key
 * is configured: relative to its working directory (the repository root locally), in the
 * gitignored `.keys/` folder. Production passes keys through configuration instead.
 */
export const DEV_SIGNING_KEY_PATH = '.keys/jwt-signing-key.pem';
