import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseIntPipe, Post, Put, Query, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { YearDocument } from '@duban/calendar';
import { CalendarsService } from '@duban/calendars';
import { InvalidInputError } from '@duban/http';
import type { Request } from 'express';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import type { AuthUser } from '../auth/auth.types.js';
import {
  AddQuery,
  AddResultDto,
  CalendarDayDto,
  CalendarDetailDto,
  CalendarListDto,
  CalendarSummaryDto,
  CalendarListQuery,
  CalendarQuery,
  CreateCalendarDto,
  SetDayDto,
  YearLoadQuery,
  YearLoadResultDto,
} from './calendars.dto.js';

@ApiTags('calendars')
@ApiBearerAuth()
@Controller('calendars')
export class CalendarsController {
  constructor(@Inject(CalendarsService) private readonly calendars: CalendarsService) {}

  @Get()
  @ApiOperation({ summary: '工作日历列表 List calendars' })
  @ApiOkResponse({ type: CalendarListDto })
  list(@CurrentUser() user: AuthUser, @Query() query: CalendarListQuery) {
    return this.calendars.list(query.page, query.limit, user.roles.includes('admin'));
  }

  @Roles('admin')
  @Post()
  @ApiOperation({ summary: '新建工作日历 Create a calendar', description: 'Admins only.' })
  @ApiCreatedResponse({ type: CalendarSummaryDto })
  create(@Body() body: CreateCalendarDto) {
    return this.calendars.create(body);
  }

  @Get(':key')
  @ApiOperation({ summary: '工作日历详情 Get a calendar', description: 'Its working hours and the days off and make-up workdays (调休) of a year.' })
  @ApiOkResponse({ type: CalendarDetailDto })
  get(@CurrentUser() user: AuthUser, @Param('key') key: string, @Query() query: CalendarQuery) {
    return this.calendars.get(key, user.roles.includes('admin'), query.year);
  }

  @Get(':key/add')
  @ApiOperation({ summary: '期限推算 Add a duration on the calendar', description: 'e.g. 5wd from a moment: the due date as a task would get it.' })
  @ApiOkResponse({ type: AddResultDto })
  async add(@Param('key') key: string, @Query() query: AddQuery): Promise<AddResultDto> {
    const from = new Date(query.from);
    const { result, missingYears } = await this.calendars.add(key, from, query.duration);
    return { from: from.toISOString(), duration: query.duration, result: result.toISOString(), uncertain: missingYears.length > 0, missingYears };
  }

  @Roles('admin')
  @Put(':key/days/:date')
  @ApiOperation({ summary: '设置节假日或调休 Set a day', description: 'Admins only: a holiday or a (make-up) workday.' })
  @ApiOkResponse({ type: CalendarDayDto })
  setDay(@Param('key') key: string, @Param('date') date: string, @Body() body: SetDayDto) {
    return this.calendars.setDay(key, date, body.kind, body.note ?? null);
  }

  @Roles('admin')
  @Delete(':key/days/:date')
  @HttpCode(204)
  @ApiOperation({ summary: '删除日期设置 Remove a day’s setting', description: 'Admins only.' })
  @ApiNoContentResponse({ description: 'Removed' })
  async deleteDay(@Param('key') key: string, @Param('date') date: string): Promise<void> {
    await this.calendars.deleteDay(key, date);
  }

  /**
   * A year's schedule at once: a JSON list of {date, kind, note?}, a holiday-cn document
   * ({year, papers, days:[{name, date, isOffDay}]}) or an .ics file (Content-Type: text/calendar).
   * It replaces the days that year's schedule set, and no others; `dryRun=true` answers the
   * changes without saving.
   */
  @Roles('admin')
  @Put(':key/years/:year')
  @ApiOperation({ summary: '导入全年节假日安排 Load a year’s schedule', description: 'Admins only; `dryRun=true` answers the changes without saving.' })
  @ApiConsumes('application/json', 'text/calendar')
  @ApiBody({
    schema: {
      oneOf: [
        {
          type: 'array',
          items: { type: 'object', properties: { date: { type: 'string' }, kind: { enum: ['holiday', 'workday'] }, note: { type: 'string' } } },
        },
        { type: 'object', description: 'holiday-cn', properties: { year: { type: 'integer' }, papers: { type: 'array' }, days: { type: 'array' } } },
        { type: 'string', description: 'iCalendar (text/calendar)' },
      ],
    },
  })
  @ApiOkResponse({ type: YearLoadResultDto })
  @ApiBadRequestResponse({
    description:
      'problem+json (type urn:duban:problem:holiday-file); errors[0].path names the .ics line ("line 12", also in `line`) or the JSON entry ("days[3].date")',
  })
  loadYear(@Param('key') key: string, @Param('year', ParseIntPipe) year: number, @Query() query: YearLoadQuery, @Req() req: Request) {
    return this.calendars.loadYear(key, year, yearDocument(req), query.dryRun ?? false);
  }
}

function yearDocument(req: Request): YearDocument {
  if (req.is('text/calendar')) {
    if (typeof req.body !== 'string') throw new InvalidInputError('', 'an .ics body is required');
    return { type: 'ics', text: req.body };
  }
  return { type: 'json', body: req.body as unknown };
}
