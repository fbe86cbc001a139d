import { Controller, Get, Inject, Param, Post, Query, Req, Res, UploadedFiles, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiGoneResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import { AttachmentsService, contentDisposition } from '@duban/attachments';
import { PageQuery, uuidParam } from '@duban/http';
import type { Request, Response } from 'express';
import { CurrentUser } from '../auth/auth.decorators.js';
import type { AuthUser } from '../auth/auth.types.js';
import { AttachmentListDto, AttachmentsUploadedDto, UPLOAD_BODY } from './attachments.dto.js';
import { AttachmentUploadInterceptor, UPLOAD_FIELDS, type UploadedParts } from './upload.interceptor.js';

const requestId = (req: Request) => (typeof req.id === 'string' ? req.id : null);
const PROBLEM = 'RFC 9457 problem+json with a stable `type` and a Chinese-first `detail`';

@ApiTags('attachments')
@ApiBearerAuth()
@Controller()
export class AttachmentsController {
  constructor(@Inject(AttachmentsService) private readonly attachments: AttachmentsService) {}

  @Post('tasks/:id/attachments')
  @UseInterceptors(AttachmentUploadInterceptor)
  @ApiOperation({
    summary: '上传附件 Attach evidence files to a task (佐证材料)',
    description:
      'By the task’s lead and co-units’ leads and handlers, its assignee, its supervisors and admins. All files are kept or none; ' +
      'each upload is one `attach` entry of the task’s audit chain with every file’s id, name, type, size and SHA-256.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody(UPLOAD_BODY)
  @ApiCreatedResponse({ type: AttachmentsUploadedDto })
  @ApiBadRequestResponse({ description: `${PROBLEM}: no files (attachments-missing), an empty file (attachment-empty), a malformed body (malformed-upload)` })
  @ApiForbiddenResponse({ description: `${PROBLEM}: the caller sees the task but does not work on it (attach-forbidden)` })
  @ApiNotFoundResponse({ description: `${PROBLEM}: no such task, or not the caller’s to see (task-not-found)` })
  @ApiPayloadTooLargeResponse({ description: `${PROBLEM}: a file over 20 MiB (attachment-too-large)` })
  @ApiUnsupportedMediaTypeResponse({ description: `${PROBLEM}: a file whose content is not an accepted type, named (attachment-type-refused)` })
  upload(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string, @UploadedFiles() parts: UploadedParts | undefined, @Req() req: Request) {
    const files = UPLOAD_FIELDS.flatMap((field) =>
      (parts?.[field] ?? []).map((part, i) => ({ path: `${field}[${i}]`, originalName: part.originalname, bytes: part.buffer })),
    );
    return this.attachments.upload(user, id, files, { requestId: requestId(req) });
  }

  @Get('tasks/:id/attachments')
  @ApiOperation({ summary: '附件列表 The files of a task, oldest first' })
  @ApiOkResponse({ type: AttachmentListDto })
  @ApiNotFoundResponse({ description: `${PROBLEM}: no such task, or not the caller’s to see` })
  list(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string, @Query() query: PageQuery) {
    return this.attachments.list(user, id, query.page, query.limit);
  }

  @Get('attachments/:id')
  @ApiOperation({
    summary: '下载附件 Download a file',
    description:
      'The bytes, with the content type read at upload, `Content-Disposition: attachment` (the name as `filename*`, RFC 8187) and ' +
      '`X-Content-Type-Options: nosniff`. Scoped like its task.',
  })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  @ApiNotFoundResponse({ description: `${PROBLEM}: no such file, or its task is not the caller’s to see (attachment-not-found)` })
  @ApiGoneResponse({ description: `${PROBLEM}: the file is recorded but its bytes are gone from the store (attachment-content-missing)` })
  async download(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string, @Res() res: Response): Promise<void> {
    const file = await this.attachments.download(user, id);
    res
      .status(200)
      .set({
        'Content-Type': file.contentType,
        'Content-Length': String(file.bytes.length),
        'Content-Disposition': contentDisposition(file.filename),
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'private, no-store',
      })
      .end(file.bytes);
  }
}
