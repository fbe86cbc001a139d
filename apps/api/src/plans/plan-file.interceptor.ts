import {
  type CallHandler,
  createParamDecorator,
  type ExecutionContext,
  HttpException,
  Injectable,
  type NestInterceptor,
  PayloadTooLargeException,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { MalformedUploadError } from '@duban/attachments';
import { MAX_PLAN_FILE_BYTES, PlanFileTooLargeError } from '@duban/plans';
import type { Request } from 'express';
import type { Observable } from 'rxjs';

/** The text fields beside the file: year, workflow, and a few a client may add for itself. */
const MAX_TEXT_FIELDS = 10;

/**
 * A plan import as multipart/form-data: one `file` read into memory by multer, which stops at
 * MAX_PLAN_FILE_BYTES (a 50 MB upload is refused when the limit is passed, not buffered whole) and
 * answers 413 plan-file-too-large; a malformed body is 400 malformed-upload, as for attachments.
 * A JSON body passes through untouched (multer reads multipart only).
 */
@Injectable()
export class PlanFileInterceptor implements NestInterceptor {
  private readonly multer = new (FileInterceptor('file', {
    limits: { fileSize: MAX_PLAN_FILE_BYTES, files: 1, fields: MAX_TEXT_FIELDS, fieldSize: 1024 },
    defParamCharset: 'utf8',
  }))();

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    try {
      return await this.multer.intercept(context, next);
    } catch (err) {
      throw uploadProblem(err);
    }
  }
}

function uploadProblem(err: unknown): unknown {
  if (!(err instanceof HttpException)) return err;
  if (err instanceof PayloadTooLargeException) return new PlanFileTooLargeError();
  const cause = err.cause as { code?: string; field?: string; message?: string } | undefined;
  const field = cause?.field ?? 'file';
  if (cause?.code === 'LIMIT_FILE_COUNT' || cause?.code === 'LIMIT_UNEXPECTED_FILE')
    return new MalformedUploadError(field, `只接受一个文件，字段名为 file (one file, in the field "file")`);
  return err.getStatus() === 400 ? new MalformedUploadError(field, `multipart/form-data 无法解析 (${cause?.message ?? err.message})`) : err;
}

/** The request as the plan endpoints read it: its body, and the file when it came as multipart. */
export interface PlanRequest {
  body: unknown;
  file: { originalname: string; buffer: Buffer } | null;
  multipart: boolean;
}

/**
 * The body and uploaded file together, so one pipe can validate a JSON body and a multipart one
 * each by its own fields (a custom decorator, which the global ValidationPipe leaves alone).
 */
export const PlanInput = createParamDecorator((_: unknown, context: ExecutionContext): PlanRequest => {
  const req = context.switchToHttp().getRequest<Request & { file?: { originalname: string; buffer: Buffer } }>();
  return { body: req.body ?? {}, file: req.file ?? null, multipart: Boolean(req.is('multipart/form-data')) };
});
