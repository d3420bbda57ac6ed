import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProcessedEvent } from '../processed-events/processed-event.entity';
import { CatalogReplicaConsumer } from './catalog-replica.consumer';
import { CatalogReplicaController } from './catalog-replica.controller';
import { CatalogReplicaService } from './catalog-replica.service';
import { CatalogProduct } from './entities/catalog-product.entity';

@Module({
  imports: [TypeOrmModule.forFeature([CatalogProduct, ProcessedEvent])],
  controllers: [CatalogReplicaConsumer, CatalogReplicaController],
  providers: [CatalogReplicaService],
  exports: [CatalogReplicaService],
})
export class CatalogReplicaModule {}
