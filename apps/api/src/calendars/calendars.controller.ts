import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseIntPipe, Post, Put, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { type ImportedDay, parseIcsDays, CalendarError } from '@duban/calendar';
import { CalendarsService } from '@duban/calendars';
import { InvalidInputError } from '@duban/http';
import type { Request } from 'express';
import { Roles } from '../auth/auth.decorators.js';
import { AddQuery, CalendarListQuery, CalendarQuery, CreateCalendarDto, SetDayDto } from './calendars.dto.js';

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
  get(@Param('key') key: string, @Query() query: CalendarQuery) {
    return this.calendars.get(key, query.year);
  }

  @Get(':key/add')
  async add(@Param('key') key: string, @Query() query: AddQuery) {
    const result = await this.calendars.add(key, new Date(query.from), query.duration);
    return { from: new Date(query.from).toISOString(), duration: query.duration, result: result.toISOString() };
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
   * A whole year's days off and make-up workdays at once, as a JSON list of {date, kind, note?}
   * or as an .ics file (Content-Type: text/calendar); the year's earlier exceptions are replaced.
   */
  @Roles('admin')
  @Put(':key/years/:year')
  @ApiConsumes('application/json', 'text/calendar')
  @ApiBody({ schema: { oneOf: [{ type: 'array', items: { type: 'object' } }, { type: 'string' }] } })
  replaceYear(@Param('key') key: string, @Param('year', ParseIntPipe) year: number, @Req() req: Request) {
    return this.calendars.replaceYear(key, year, yearDays(req));
  }
}

function yearDays(req: Request): ImportedDay[] {
  if (req.is('text/calendar')) {
    if (typeof req.body !== 'string') throw new InvalidInputError('', 'an .ics body is required');
    try {
      return parseIcsDays(req.body);
    } catch (err) {
      if (err instanceof CalendarError) throw new InvalidInputError('', err.message);
      throw err;
    }
  }
  if (!Array.isArray(req.body)) throw new InvalidInputError('', 'send a JSON list of {date, kind, note?} or an .ics file as text/calendar');
  return req.body.map((day: unknown, i: number) => {
    if (typeof day !== 'object' || day === null) throw new InvalidInputError(`[${i}]`, 'must be an object {date, kind, note?}');
    const { date, kind, note } = day as Record<string, unknown>;
    if (typeof date !== 'string') throw new InvalidInputError(`[${i}].date`, 'is required');
    if (kind !== 'holiday' && kind !== 'workday') throw new InvalidInputError(`[${i}].kind`, 'must be holiday or workday');
    if (note !== undefined && typeof note !== 'string') throw new InvalidInputError(`[${i}].note`, 'must be text');
    return { date, kind, ...(typeof note === 'string' ? { note } : {}) };
  });
}
