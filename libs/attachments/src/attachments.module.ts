import { Module } from '@nestjs/common';
import { TasksModule } from '@duban/tasks';
import { AttachmentStore, PgAttachmentStore } from './attachment-store.js';
import { AttachmentsService } from './attachments.service.js';

@Module({
  imports: [TasksModule],
  providers: [AttachmentsService, { provide: AttachmentStore, useClass: PgAttachmentStore }],
  exports: [AttachmentsService],
})
export class AttachmentsModule {}
