import { Module } from '@nestjs/common';
import { CalendarsService } from './calendars.service.js';

@Module({ providers: [CalendarsService], exports: [CalendarsService] })
export class CalendarsModule {}
