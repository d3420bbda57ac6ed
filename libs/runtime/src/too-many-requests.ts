import { HttpException, HttpStatus } from '@nestjs/common';

/** 429 with the standard `Retry-After` header (set by ApiExceptionFilter): when to try again. */
export class TooManyRequestsException extends HttpException {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, HttpStatus.TOO_MANY_REQUESTS);
  }
}
