import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseIntPipe, Post, Put, Query, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { YearDocument } from '@duban/calendar';
import { CalendarsService } from '@duban/calendars';
import { InvalidInputError } from '@duban/http';
import type { Request } from 'express';
import { Roles } from '../auth/auth.decorators.js';
import {
  AddQuery,
  AddResultDto,
  CalendarDetailDto,
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
  list(@Query() query: CalendarListQuery) {
    return this.calendars.list(query.page, query.limit);
  }

  @Roles('admin')
  @Post()
  create(@Body() body: CreateCalendarDto) {
    return this.calendars.create(body);
  }

  @Get(':key')
  @ApiOkResponse({ type: CalendarDetailDto })
  get(@Param('key') key: string, @Query() query: CalendarQuery) {
    return this.calendars.get(key, query.year);
  }

  @Get(':key/add')
  @ApiOkResponse({ type: AddResultDto })
  async add(@Param('key') key: string, @Query() query: AddQuery): Promise<AddResultDto> {
    const from = new Date(query.from);
    const { result, missingYears } = await this.calendars.add(key, from, query.duration);
    return { from: from.toISOString(), duration: query.duration, result: result.toISOString(), uncertain: missingYears.length > 0, missingYears };
  }

  @Roles('admin')
  @Put(':key/days/:date')
  setDay(@Param('key') key: string, @Param('date') date: string, @Body() body: SetDayDto) {
    return this.calendars.setDay(key, date, body.kind, body.note ?? null);
  }

  @Roles('admin')
  @Delete(':key/days/:date')
  @HttpCode(204)
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
