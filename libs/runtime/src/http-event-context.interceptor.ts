import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { runInEventContext } from '@microshop/events';
import type { FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';

/** Events recorded while serving a request carry the request id as their correlation id. */
@Injectable()
export class HttpEventContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const correlationId = String(request.id);
    return new Observable((subscriber) =>
      runInEventContext({ correlationId, causationId: null }, () =>
        next.handle().subscribe(subscriber),
      ),
    );
  }
}
