import { DomainError } from '@duban/http';
import { MAX_ATTACHMENT_BYTES } from './limits.js';

const ACCEPTED = 'PDF、图片（PNG/JPEG/GIF/WebP）、Office 文档（DOC/DOCX/XLS/XLSX/PPT/PPTX）、OFD 和 UTF-8 纯文本';

/** Unknown and not-yours are the same answer, as for tasks. */
export class AttachmentNotFoundError extends DomainError.of(404, 'attachment-not-found', 'Attachment not found') {
  constructor(id: string) {
    super(`附件不存在或无权查看：${id}。There is no attachment ${id} that you may see.`);
  }
}

export class NoFilesError extends DomainError.of(400, 'attachments-missing', 'No files') {
  constructor() {
    const message = '没有收到文件：请以 multipart/form-data 的 files 字段上传一个或多个文件。No files: send one or more in the multipart field "files".';
    super(message);
    this.extensions.errors = [{ path: 'files', message }];
  }
}

export class EmptyFileError extends DomainError.of(400, 'attachment-empty', 'Empty file') {
  constructor(path: string, filename: string) {
    const message = `文件「${filename}」是空的（0 字节），未保存任何文件。The file is empty; nothing was stored.`;
    super(message);
    this.extensions.errors = [{ path, message }];
    this.extensions.filename = filename;
  }
}

export class AttachmentTooLargeError extends DomainError.of(413, 'attachment-too-large', 'File too large') {
  constructor(filename?: string) {
    const limit = `${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`;
    super(`${filename ? `文件「${filename}」` : '文件'}超过 ${limit} 上限，未保存任何文件。Each file may be at most ${limit}; nothing was stored.`);
    this.extensions.maxBytes = MAX_ATTACHMENT_BYTES;
    if (filename) this.extensions.filename = filename;
  }
}

/** The content is not one of the accepted kinds, whatever the file's name or the client's Content-Type say. */
export class AttachmentTypeRefusedError extends DomainError.of(415, 'attachment-type-refused', 'File type not accepted') {
  constructor(path: string, filename: string, detected: string | null) {
    const seen = detected ? `（内容识别为 ${detected}）` : '';
    const message = `文件「${filename}」的类型不被接受${seen}；只接受${ACCEPTED}，类型按文件内容判断，与文件名无关。未保存任何文件。`;
    super(`${message} The content is not an accepted type; nothing was stored.`);
    this.extensions.errors = [{ path, message }];
    this.extensions.filename = filename;
    this.extensions.detected = detected;
  }
}

/** The multipart body itself is wrong: too many files, an unknown file field, a malformed part. */
export class MalformedUploadError extends DomainError.of(400, 'malformed-upload', 'Malformed upload') {
  constructor(path: string, reason: string) {
    const message = `上传内容有误：${reason}。未保存任何文件。`;
    super(message);
    this.extensions.errors = [{ path, message }];
  }
}

export class AttachForbiddenError extends DomainError.of(403, 'attach-forbidden', 'May not attach files') {
  constructor() {
    super('只有任务的承办单位人员、经办人、督办人员和管理员可以上传附件。Only the owners, the assignee, supervisors and admins may attach files.');
  }
}

/** The metadata is there but the store has no bytes: data lost or removed behind Duban's back, which audit verify reports too. */
export class AttachmentContentMissingError extends DomainError.of(410, 'attachment-content-missing', 'Attachment content missing') {
  constructor(id: string) {
    super(`附件 ${id} 的文件内容已丢失，请联系管理员核验审计记录（audit/verify）。The attachment's bytes are missing from the store.`);
  }
}
