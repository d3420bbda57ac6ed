import { randomUUID } from 'node:crypto';
import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
  ServiceUnavailableException,
} from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { FastifyReply } from 'fastify';
import { ApiErrorDto } from './api-error';
import { TooManyRequestsException } from './too-many-requests';
import { ValidationFailedException } from './validation';

/**
 * Turns every HTTP failure into the contract's error body. Server errors get an `errorId` that is
 * logged with the stack, and nothing internal in the body. Non-HTTP contexts (Kafka handlers)
 * are left to their own error handling.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrors');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (exception instanceof ServiceUnavailableException) {
      // Deliberate 503s (Terminus readiness) carry which dependency is down: keep that body.
      void reply.status(503).send(exception.getResponse());
      return;
    }
    if (exception instanceof TooManyRequestsException) {
      void reply.header('Retry-After', String(Math.max(1, Math.ceil(exception.retryAfterSeconds))));
    }
    const body = this.toBody(exception);
    void reply.status(body.statusCode).send(body);
  }

  private toBody(exception: unknown): ApiErrorDto {
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      const statusCode = exception.getStatus();
      const body: ApiErrorDto = {
        statusCode,
        error: STATUS_CODES[statusCode] ?? 'Error',
        message: messageOf(exception),
      };
      if (exception instanceof ValidationFailedException) body.details = exception.details;
      return body;
    }
    const statusCode =
      exception instanceof HttpException ? exception.getStatus() : HttpStatus.INTERNAL_SERVER_ERROR;
    const errorId = randomUUID();
    this.logger.error(
      { errorId, err: exception },
      `Unhandled error ${errorId}: ${exception instanceof Error ? exception.message : String(exception)}`,
    );
    return {
      statusCode,
      error: STATUS_CODES[statusCode] ?? 'Error',
      message: 'Internal error; quote the errorId when reporting it',
      errorId,
    };
  }
}

function messageOf(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}
