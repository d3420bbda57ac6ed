import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@microshop/auth';
import { ApiErrorDto, linkById } from '@microshop/runtime';
import type { FastifyReply } from 'fastify';
import { CreateOrderDto } from './dto/create-order.dto';
import { ListOrdersQuery } from './dto/list-orders.query';
import { OrderDto, OrderHistoryEntryDto, OrderPageDto } from './dto/order.dto';
import { OrdersService } from './orders.service';

@ApiTags('orders')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ApiErrorDto })
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  @HttpCode(201)
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
    description:
      'Makes retries safe: a request repeating a key of yours with the same body answers 201 with the order the first one created (header `Idempotent-Replayed: true`); with another body, 409.',
  })
  @ApiCreatedResponse({
    type: OrderDto,
    description: 'The order, PENDING until stock is reserved',
    links: {
      getOrder: linkById('getOrder'),
      getOrderHistory: linkById('getOrderHistory'),
      cancelOrder: linkById('cancelOrder'),
    },
  })
  @ApiBadRequestResponse({
    type: ApiErrorDto,
    description: '1–50 lines, quantity 1–100, each product once',
  })
  @ApiConflictResponse({
    type: ApiErrorDto,
    description: 'Idempotency-Key reused with another body',
  })
  @ApiUnprocessableEntityResponse({ type: ApiErrorDto, description: 'Unknown or deleted product' })
  @ApiTooManyRequestsResponse({
    type: ApiErrorDto,
    description:
      'The customer has ORDER_MAX_PENDING_PER_CUSTOMER orders pending, or placed ORDER_MAX_PER_CUSTOMER within ORDER_MAX_PER_CUSTOMER_WINDOW_SECONDS (see the Retry-After header)',
    headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } },
  })
  async createOrder(
    @CurrentUser() user: AuthUser,
    @Body() dto: CreateOrderDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderDto> {
    const { order, replayed } = await this.orders.place(user, dto, idempotencyKey);
    void reply.header('location', `/orders/${order.id}`);
    if (replayed) void reply.header('idempotent-replayed', 'true');
    return order;
  }

  @Get()
  @ApiOkResponse({ type: OrderPageDto, description: "Own orders, newest first; an admin's: all" })
  @ApiBadRequestResponse({ type: ApiErrorDto })
  @ApiForbiddenResponse({ type: ApiErrorDto, description: 'userId filter by a non-admin' })
  listOrders(
    @CurrentUser() user: AuthUser,
    @Query() query: ListOrdersQuery,
  ): Promise<OrderPageDto> {
    return this.orders.list(user, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: OrderDto })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'Also for orders of other customers' })
  getOrder(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<OrderDto> {
    return this.orders.get(user, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: OrderDto, description: 'The order, CANCELLED' })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'Also for orders of other customers' })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'The order is REJECTED or CANCELLED' })
  cancelOrder(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<OrderDto> {
    return this.orders.cancel(user, id);
  }

  @Get(':id/history')
  @ApiOkResponse({ type: [OrderHistoryEntryDto], description: 'Oldest first' })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'Also for orders of other customers' })
  getOrderHistory(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
  ): Promise<OrderHistoryEntryDto[]> {
    return this.orders.history(user, id);
  }
}
