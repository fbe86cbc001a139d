import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UserEntity } from '@duban/db';
import { DepartmentsService } from './departments.service.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([UserEntity])],
  providers: [UsersService, DepartmentsService],
  exports: [UsersService, DepartmentsService],
})
export class OrgModule {}
