import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, IsUrl, IsUUID, MaxLength, MinLength } from 'class-validator';
import { PageQuery, uuidParam, LowercaseIds } from '@duban/http';
import { EVENTS, WebhooksService } from '@duban/notifications';
import { Roles } from '../auth/auth.decorators.js';

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://oa.example.gov.cn/duban-hook' })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'must be an http(s) URL' })
  @MaxLength(2000)
  url!: string;

  @ApiProperty({ minLength: 16, writeOnly: true, description: 'HMAC key of X-Duban-Signature' })
  @IsString()
  @MinLength(16)
  @MaxLength(256)
  secret!: string;

  @ApiProperty({ enum: [...EVENTS, '*'], isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsIn([...EVENTS, '*'], { each: true })
  events!: string[];

  @ApiPropertyOptional({ format: 'uuid', description: 'Only tasks this department owns' })
  @IsOptional()
  @LowercaseIds()
  @IsUUID()
  departmentId?: string;
}

export class WebhookDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'https://oa.example.gov.cn/duban-hook' }) url!: string;
  @ApiProperty({ type: [String], example: ['task.created'] }) events!: string[];
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) departmentId!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class WebhookListDto {
  @ApiProperty({ type: [WebhookDto] }) items!: WebhookDto[];
  @ApiProperty() total!: number;
}

export class DeliveryDto {
  @ApiProperty({ format: 'uuid', description: 'X-Duban-Delivery, the same on every retry' }) id!: string;
  @ApiProperty({ example: 'task.created' }) event!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'HTTP status of the last attempt' }) lastStatus!: number | null;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) nextAttemptAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deliveredAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class DeliveryListDto {
  @ApiProperty({ type: [DeliveryDto] }) items!: DeliveryDto[];
  @ApiProperty() total!: number;
}

@ApiTags('webhooks')
@ApiBearerAuth()
@Roles('admin')
@Controller('webhooks')
export class WebhooksController {
  constructor(@Inject(WebhooksService) private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({ summary: '新建回调 Subscribe a webhook' })
  @ApiCreatedResponse({ type: WebhookDto })
  create(@Body() body: CreateWebhookDto) {
    return this.webhooks.create(body);
  }

  @Get()
  @ApiOperation({ summary: '回调列表 List webhooks' })
  @ApiOkResponse({ type: WebhookListDto })
  list(@Query() query: PageQuery) {
    return this.webhooks.list(query.page, query.limit);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: '取消订阅 Delete a webhook', description: 'Its deliveries go with it; a queued attempt is not sent.' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ description: 'webhook-not-found' })
  async remove(@Param('id', uuidParam('id')) id: string): Promise<void> {
    await this.webhooks.remove(id);
  }

  @Post(':id/test')
  @HttpCode(202)
  @ApiOperation({
    summary: '测试投递 Send a test delivery',
    description:
      'Queues one delivery of the event `webhook.test` to this webhook, whatever events it subscribes to; it is signed, retried and listed like any other.',
  })
  @ApiAcceptedResponse({ type: DeliveryDto })
  @ApiNotFoundResponse({ description: 'webhook-not-found' })
  sendTest(@Param('id', uuidParam('id')) id: string) {
    return this.webhooks.sendTest(id);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: '投递记录 A webhook’s deliveries' })
  @ApiOkResponse({ type: DeliveryListDto })
  @ApiNotFoundResponse({ description: 'webhook-not-found' })
  deliveries(@Param('id', uuidParam('id')) id: string, @Query() query: PageQuery) {
    return this.webhooks.deliveries(id, query.page, query.limit);
  }
}
