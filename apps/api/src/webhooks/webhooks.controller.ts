import { Body, Controller, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
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

@ApiTags('webhooks')
@ApiBearerAuth()
@Roles('admin')
@Controller('webhooks')
export class WebhooksController {
  constructor(@Inject(WebhooksService) private readonly webhooks: WebhooksService) {}

  @Post()
  create(@Body() body: CreateWebhookDto) {
    return this.webhooks.create(body);
  }

  @Get()
  list(@Query() query: PageQuery) {
    return this.webhooks.list(query.page, query.limit);
  }

  @Get(':id/deliveries')
  deliveries(@Param('id', uuidParam('id')) id: string, @Query() query: PageQuery) {
    return this.webhooks.deliveries(id, query.page, query.limit);
  }
}
