import { type CallHandler, type ExecutionContext, HttpException, Injectable, type NestInterceptor, PayloadTooLargeException } from '@nestjs/common';
import { FileFieldsInterceptor } from '@nestjs/platform-express';
import { AttachmentTooLargeError, MalformedUploadError, MAX_ATTACHMENT_BYTES, MAX_FILES_PER_UPLOAD } from '@duban/attachments';
import type { Observable } from 'rxjs';

/** The file fields of an upload: `files` (issue 16), and `file` as API.md names it; both may repeat. */
export const UPLOAD_FIELDS = ['files', 'file'] as const;

/** A file as multer hands it over (memory storage). */
export interface UploadedPart {
  fieldname: string;
  originalname: string;
  buffer: Buffer;
}

export type UploadedParts = Partial<Record<(typeof UPLOAD_FIELDS)[number], UploadedPart[]>>;

/** Text fields of a multipart upload are not used; a handful are tolerated (a client's own labels). */
const MAX_TEXT_FIELDS = 10;

/**
 * Parses a multipart upload into memory with multer, within the limits (20 MiB a file, 10 files,
 * names read as UTF-8 as browsers send them), and turns multer's refusals into Duban's problems:
 * a file over the limit is 413 `attachment-too-large`, anything else wrong with the body 400
 * `malformed-upload` naming the field. Nothing is kept when the body is refused.
 */
@Injectable()
export class AttachmentUploadInterceptor implements NestInterceptor {
  private readonly multer = new (FileFieldsInterceptor(
    UPLOAD_FIELDS.map((name) => ({ name, maxCount: MAX_FILES_PER_UPLOAD })),
    { limits: { fileSize: MAX_ATTACHMENT_BYTES, files: MAX_FILES_PER_UPLOAD, fields: MAX_TEXT_FIELDS, fieldSize: 64 * 1024 }, defParamCharset: 'utf8' },
  ))();

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    try {
      return await this.multer.intercept(context, next);
    } catch (err) {
      throw uploadProblem(err);
    }
  }
}

/** multer's error (kept by Nest as the HttpException's cause) as the problem a client can act on. */
function uploadProblem(err: unknown): unknown {
  if (!(err instanceof HttpException)) return err;
  if (err instanceof PayloadTooLargeException) return new AttachmentTooLargeError();
  const cause = err.cause as { code?: string; field?: string; message?: string } | undefined;
  const field = cause?.field ?? 'files';
  switch (cause?.code) {
    case 'LIMIT_FILE_COUNT':
      return new MalformedUploadError(field, `一次最多上传 ${MAX_FILES_PER_UPLOAD} 个文件 (at most ${MAX_FILES_PER_UPLOAD} files)`);
    case 'LIMIT_UNEXPECTED_FILE':
      return new MalformedUploadError(
        field,
        `文件字段「${field}」不被接受，或其中文件多于 ${MAX_FILES_PER_UPLOAD} 个；请使用 files 字段 (use the field "files", at most ${MAX_FILES_PER_UPLOAD} files)`,
      );
    default:
      return err.getStatus() === 400 ? new MalformedUploadError(field, `multipart/form-data 无法解析 (${cause?.message ?? err.message})`) : err;
  }
}
