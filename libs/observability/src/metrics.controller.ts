import { Controller } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import { Public } from '@microshop/auth';

/** Prometheus scrapes without a token; nothing sensitive is exposed here. */
@Public()
@ApiExcludeController()
@Controller()
export class MetricsController extends PrometheusController {}
