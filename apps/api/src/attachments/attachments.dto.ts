import { ApiProperty } from '@nestjs/swagger';
import { MAX_ATTACHMENT_BYTES, MAX_FILES_PER_UPLOAD } from '@duban/attachments';

export class AttachmentViewDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) taskId!: string;
  @ApiProperty({ example: '整改报告.pdf', description: 'The uploaded file’s name, without any directory' }) filename!: string;
  @ApiProperty({ example: '整改报告.pdf', description: 'The same as filename (API.md’s name for it)' }) name!: string;
  @ApiProperty({ example: 'application/pdf', description: 'Read from the content, not from the name or the client’s Content-Type' }) contentType!: string;
  @ApiProperty({ example: 48213, description: 'Bytes' }) size!: number;
  @ApiProperty({
    example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    description: 'Hex SHA-256, also in the audit entry that added the file',
  })
  sha256!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) uploadedBy!: string | null;
  @ApiProperty({ example: '2025-10-20T09:30:00.000Z' }) createdAt!: string;
}

export class AttachmentsUploadedDto {
  @ApiProperty({ type: [AttachmentViewDto], description: 'In the order of the request' }) items!: AttachmentViewDto[];
}

export class AttachmentListDto {
  @ApiProperty({ type: [AttachmentViewDto], description: 'Oldest first' }) items!: AttachmentViewDto[];
  @ApiProperty() total!: number;
}

const FILE_ARRAY = { type: 'array', items: { type: 'string', format: 'binary' }, maxItems: MAX_FILES_PER_UPLOAD } as const;

/** The multipart body of an upload, for the OpenAPI document. */
export const UPLOAD_BODY = {
  schema: {
    type: 'object',
    properties: {
      files: {
        ...FILE_ARRAY,
        description:
          `One or more files (at most ${MAX_FILES_PER_UPLOAD}), each 1 byte to ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MiB: PDF, PNG, JPEG, GIF, WebP, ` +
          'DOC/DOCX, XLS/XLSX, PPT/PPTX, OFD or UTF-8 plain text, as the content shows (names and part Content-Types are not trusted)',
      },
      file: { ...FILE_ARRAY, description: 'Also accepted: the field name API.md uses' },
    },
  },
};

export class EvidenceProblemDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() filename!: string;
  @ApiProperty({ description: 'The audit entry that added the file (for an unaudited one: the seq after the head)' }) seq!: number;
  @ApiProperty({ enum: ['altered', 'missing', 'unaudited'] }) problem!: string;
}

export class AuditVerificationDto {
  @ApiProperty() valid!: boolean;
  @ApiProperty({ required: false, description: 'When valid: the number of entries' }) entries?: number;
  @ApiProperty({ required: false, description: 'When not valid: the seq of the first broken link, or of the entry a file no longer matches' })
  brokenAt?: number;
  @ApiProperty({ type: [EvidenceProblemDto], required: false, description: 'When a file no longer matches its audit entry' })
  attachments?: EvidenceProblemDto[];
}
