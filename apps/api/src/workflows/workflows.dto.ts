import { ApiProperty } from '@nestjs/swagger';

export class DefinitionValidDto {
  @ApiProperty({ enum: [true] }) valid!: true;
}

export class PublishedVersionDto {
  @ApiProperty({ example: 'hotline-ticket' }) key!: string;
  @ApiProperty({ example: 2 }) version!: number;
}

export class WorkflowSummaryDto {
  @ApiProperty({ example: 'hotline-ticket' }) key!: string;
  @ApiProperty({ example: 2, description: 'The latest version' }) version!: number;
  @ApiProperty({ example: '12345热线工单' }) name!: string;
  @ApiProperty({ format: 'date-time' }) publishedAt!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) publishedBy!: string | null;
}

export class WorkflowListDto {
  @ApiProperty({ type: [WorkflowSummaryDto] }) items!: WorkflowSummaryDto[];
  @ApiProperty() total!: number;
}

export class WorkflowVersionEntryDto {
  @ApiProperty({ example: 3 }) version!: number;
  @ApiProperty({ example: '12345热线工单' }) name!: string;
  @ApiProperty({ format: 'date-time' }) publishedAt!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Null: published by the seed' }) publishedBy!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '系统管理员', description: 'The publisher’s display name' }) publishedByName!: string | null;
}

/** GET /workflows/:key/versions: newest first. */
export class WorkflowHistoryDto {
  @ApiProperty({ type: [WorkflowVersionEntryDto] }) items!: WorkflowVersionEntryDto[];
}

class WorkflowStateDto {
  @ApiProperty({ example: 'dispatched' }) key!: string;
  @ApiProperty({ example: '待签收' }) label!: string;
  @ApiProperty({ required: false }) initial?: boolean;
  @ApiProperty({ required: false }) terminal?: boolean;
  @ApiProperty({ required: false, description: 'Time in this state does not count against the due date' }) pauseClock?: boolean;
}

class WorkflowTransitionDto {
  @ApiProperty({ example: 'accept' }) action!: string;
  @ApiProperty({ required: false, example: '签收', description: 'Default: the action' }) label?: string;
  @ApiProperty({ type: [String] }) from!: string[];
  @ApiProperty() to!: string;
  @ApiProperty({ type: [String], example: ['owner'] }) allowed!: string[];
  @ApiProperty({ type: [String], required: false, example: ['comment'] }) requires?: string[];
}

/** A published version: the definition as posted (API.md, Workflow definitions) with who published it when. */
export class WorkflowDetailDto {
  @ApiProperty({ example: 'hotline-ticket' }) key!: string;
  @ApiProperty({ example: '12345热线工单' }) name!: string;
  @ApiProperty({ required: false, example: 'cn' }) calendar?: string;
  @ApiProperty({ required: false, example: '5wd' }) deadline?: string;
  @ApiProperty({ type: [WorkflowStateDto] }) states!: WorkflowStateDto[];
  @ApiProperty({ type: [WorkflowTransitionDto] }) transitions!: WorkflowTransitionDto[];
  @ApiProperty({ example: 2 }) version!: number;
  @ApiProperty({ format: 'date-time' }) publishedAt!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) publishedBy!: string | null;
}
