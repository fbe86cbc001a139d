import { Controller, Get, Headers, HttpCode, Inject, type MessageEvent, Param, Post, Query, Req, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsUUID } from 'class-validator';
import { InvalidInputError, PageQuery, LowercaseIds } from '@duban/http';
import { NOTIFICATION_KINDS, type NotificationKind } from '@duban/db';
import { NotificationsService } from '@duban/notifications';
import { map, type Observable } from 'rxjs';
import { AllowQueryToken, CurrentUser } from '../auth/auth.decorators.js';
import type { AuthRequest, AuthUser } from '../auth/auth.types.js';
import { NotificationStreamService } from './notification-stream.service.js';

export class NotificationListQuery extends PageQuery {
  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'must be true or false' })
  unread?: boolean;

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @LowercaseIds() @IsUUID() taskId?: string;
}

export class NotificationDto {
  @ApiProperty({ example: '1024' }) id!: string;
  @ApiProperty({ enum: NOTIFICATION_KINDS, enumName: 'NotificationKind' }) kind!: NotificationKind;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) taskId!: string | null;
  @ApiProperty({ example: '任务即将到期：推进政务数据共享' }) title!: string;
  @ApiProperty() body!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'e.g. an escalation’s level' }) data!: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) readAt!: string | null;
}

/** What POST /me/notifications/read-all did. */
export class ReadAllDto {
  @ApiProperty({ description: 'Notifications marked read by this call (those already read are left as they were)' }) marked!: number;
}

export class NotificationListDto {
  @ApiProperty({ type: [NotificationDto] }) items!: NotificationDto[];
  @ApiProperty() total!: number;
  @ApiProperty({ description: 'The caller’s unread notifications, over every page' }) unread!: number;
}

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('me/notifications')
export class NotificationsController {
  constructor(
    @Inject(NotificationsService) private readonly notifications: NotificationsService,
    @Inject(NotificationStreamService) private readonly streams: NotificationStreamService,
  ) {}

  /**
   * Server-sent events: one `notification` event per new notice, `heartbeat` events to keep
   * proxies from closing the connection; Last-Event-ID resumes from the database. EventSource
   * cannot send headers, so the token may also come as `access_token`. The stream ends (after a
   * `session-ended` event) when its token expires or the user's sessions are ended.
   */
  @Sse('stream')
  @ApiOperation({ summary: '消息推送流 Notification stream (SSE)', description: 'text/event-stream: `notification` events carry a NotificationDto.' })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ schema: { type: 'string' } })
  @AllowQueryToken()
  stream(@CurrentUser() user: AuthUser, @Req() req: AuthRequest, @Headers('last-event-id') lastEventId?: string): Observable<MessageEvent> {
    return this.streams.stream(user.id, req.session!, lastEventId).pipe(map((e) => ({ id: e.id, type: e.type, data: e.data })));
  }

  /** The caller's inbox, newest first; `unread` also counts what is still unread. */
  @Get()
  @ApiOperation({ summary: '我的消息 List my notifications' })
  @ApiOkResponse({ type: NotificationListDto })
  list(@CurrentUser() user: AuthUser, @Query() query: NotificationListQuery) {
    return this.notifications.list(user.id, { unread: query.unread, taskId: query.taskId }, query.page, query.limit);
  }

  /** API.md: marks every unread notice of the caller read at once (全部已读). */
  @Post('read-all')
  @HttpCode(200)
  @ApiOperation({ summary: '全部已读 Mark all my notifications read' })
  @ApiOkResponse({ type: ReadAllDto })
  readAll(@CurrentUser() user: AuthUser): Promise<ReadAllDto> {
    return this.notifications.markAllRead(user.id);
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOperation({ summary: '标记已读 Mark a notification read' })
  @ApiOkResponse({ type: NotificationDto })
  @ApiNotFoundResponse({ description: 'notification-not-found' })
  read(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    if (!/^\d{1,18}$/.test(id)) throw new InvalidInputError('id', 'must be a notification id');
    return this.notifications.markRead(user.id, id);
  }
}
