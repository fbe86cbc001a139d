import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '@duban/http';

export class AddQuery {
  @ApiProperty({ example: '2025-09-30T10:00:00+08:00', description: 'ISO 8601 instant with offset' })
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time, e.g. 2025-09-30T10:00:00+08:00' })
  @Matches(/T.*(Z|[+-]\d{2}:?\d{2})$/, { message: 'must carry a time and an offset (Z or +08:00)' })
  from!: string;

  @ApiProperty({
    example: '5wd',
    description:
      'Ns, Nm, Nh, Nd (natural time), Nwh (working hours), Nwd (the same clock time N working days on) or Nwde ' +
      '(the end, 23:59:59.999 local, of the N-th working day counted from the next day: 自次日起算)',
  })
  @Matches(/^\d{1,6}(s|m|h|d|wh|wde|wd)$/, { message: 'must be a duration such as 30m, 24h, 3d, 2wh, 5wd or 13wde' })
  duration!: string;
}

export class CalendarQuery {
  @ApiPropertyOptional({ description: 'Only the exception days of this year' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1900)
  @Max(2200)
  year?: number;
}

export class CalendarListQuery extends PageQuery {}

export class SetDayDto {
  @ApiProperty({ enum: ['holiday', 'workday'] })
  @IsIn(['holiday', 'workday'])
  kind!: 'holiday' | 'workday';

  @ApiPropertyOptional({ example: '国庆节' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  note?: string;
}

export class WorkingPeriodDto {
  @ApiProperty({ example: '08:30' })
  @Matches(/^([01]\d|2[0-4]):[0-5]\d$/, { message: 'must be a clock time HH:MM' })
  start!: string;

  @ApiProperty({ example: '12:00' })
  @Matches(/^([01]\d|2[0-4]):[0-5]\d$/, { message: 'must be a clock time HH:MM' })
  end!: string;
}

export class CreateCalendarDto {
  @ApiProperty({ example: 'qy' })
  @Matches(/^[a-z][a-z0-9-]{0,62}$/, { message: 'must be lower-case letters, digits and "-"' })
  key!: string;

  @ApiProperty({ example: '清远市工作日历' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ example: 'Asia/Shanghai' })
  @IsOptional()
  @IsString()
  timezone?: string;

  @ApiPropertyOptional({ type: [WorkingPeriodDto] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => WorkingPeriodDto)
  workingHours?: WorkingPeriodDto[];
}

export class AddResultDto {
  @ApiProperty({ example: '2026-12-31T02:00:00.000Z' }) from!: string;
  @ApiProperty({ example: '1wd' }) duration!: string;
  @ApiProperty({ example: '2027-01-01T02:00:00.000Z' }) result!: string;

  @ApiProperty({ description: 'The arithmetic counted across a year the calendar has no schedule for: holidays there count as worked' })
  uncertain!: boolean;

  @ApiProperty({ type: [Number], example: [2027], description: 'Those years, ascending; empty when certain' })
  missingYears!: number[];
}

export class CalendarDayDto {
  @ApiProperty({ example: '2025-10-01' }) date!: string;
  @ApiProperty({ enum: ['holiday', 'workday'] }) kind!: 'holiday' | 'workday';
  @ApiProperty({ type: String, nullable: true, example: '国庆节' }) note!: string | null;
}

export class CalendarWarningDto {
  @ApiProperty({
    enum: ['year-awaited', 'deadline-year-missing'],
    description: 'year-awaited: this year, or from 1 November (calendar zone) the next, has no schedule; deadline-year-missing: open tasks fall due in it',
  })
  code!: 'year-awaited' | 'deadline-year-missing';

  @ApiProperty({ example: 2027 }) year!: number;
  @ApiPropertyOptional({ example: 3, description: 'Open tasks whose due date falls in the year; absent when none' }) openTasks?: number;
  @ApiProperty({ example: '尚无下一年度（2027年）的节假日安排。…请导入2027年的节假日文件。' }) message!: string;
}

export class CalendarDetailDto {
  @ApiProperty({ example: 'cn' }) key!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'Asia/Shanghai' }) timezone!: string;
  @ApiProperty({ type: [WorkingPeriodDto] }) workingHours!: WorkingPeriodDto[];

  @ApiProperty({ type: [Number], example: [2024, 2025, 2026], description: 'Years whose schedule (days off, make-up workdays) is loaded' })
  years!: number[];

  @ApiProperty({
    type: [CalendarWarningDto],
    description: 'Years it lacks that matter now, ascending: the admins are told of each once. Admins only: empty for anyone else',
  })
  warnings!: CalendarWarningDto[];

  @ApiProperty({ type: [CalendarDayDto] }) days!: CalendarDayDto[];
}

export class YearLoadQuery {
  @ApiPropertyOptional({ type: Boolean, description: 'Answer what the load would change, and save nothing' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'must be true or false' })
  dryRun?: boolean;
}

class DayBeforeDto {
  @ApiProperty({ enum: ['holiday', 'workday'] }) kind!: 'holiday' | 'workday';
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
}

export class ChangedDayDto extends CalendarDayDto {
  @ApiProperty({ type: DayBeforeDto, description: 'The day as it was' }) before!: DayBeforeDto;
}

export class KeptDayDto extends CalendarDayDto {
  @ApiProperty({ example: 2019, description: 'The later year whose schedule set the day' }) governingYear!: number;
}

export class YearLoadResultDto {
  @ApiProperty({ example: 2019 }) year!: number;
  @ApiProperty({ enum: ['list', 'holiday-cn', 'ics'] }) format!: 'list' | 'holiday-cn' | 'ics';
  @ApiProperty({ description: 'true: nothing was saved' }) dryRun!: boolean;
  @ApiProperty({ description: 'Days the calendar has from this document' }) days!: number;
  @ApiProperty({ type: [CalendarDayDto], description: 'Dates that had no exception' }) added!: CalendarDayDto[];
  @ApiProperty({ type: [CalendarDayDto], description: "Days the year's schedule had set and no longer lists" }) removed!: CalendarDayDto[];
  @ApiProperty({ type: [ChangedDayDto], description: 'Days whose kind or note changes' }) changed!: ChangedDayDto[];

  @ApiProperty({ type: [KeptDayDto], description: "Days the document lists that a later year's schedule set: left as they are" })
  kept!: KeptDayDto[];
}

export class CalendarSummaryDto {
  @ApiProperty({ example: 'cn' }) key!: string;
  @ApiProperty({ example: '中国大陆工作日历' }) name!: string;
  @ApiProperty({ example: 'Asia/Shanghai' }) timezone!: string;
  @ApiProperty({ type: [WorkingPeriodDto] }) workingHours!: WorkingPeriodDto[];
  @ApiProperty({ type: [Number], example: [2025, 2026], description: 'Years whose schedule is loaded, ascending' }) years!: number[];
  @ApiProperty({
    type: [CalendarWarningDto],
    description: 'Years it lacks that matter now, ascending: the admins are told of each once. Admins only: empty for anyone else',
  })
  warnings!: CalendarWarningDto[];
}

export class CalendarListDto {
  @ApiProperty({ type: [CalendarSummaryDto] }) items!: CalendarSummaryDto[];
  @ApiProperty() total!: number;
}
