import { Body, Controller, Get, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { uuidParam } from '@duban/http';
import { ApiBearerAuth, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DepartmentsService, UsersService } from '@duban/org';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import type { AuthUser } from '../auth/auth.types.js';
import { SessionEvents } from '../auth/session-events.js';
import {
  CreateDepartmentDto,
  CreateUserDto,
  DepartmentDto,
  DepartmentListDto,
  DepartmentListQuery,
  UpdateDepartmentDto,
  UpdateUserDto,
  UserDto,
  UserListDto,
  UserListQuery,
} from './org.dto.js';

@ApiTags('organisation')
@ApiBearerAuth()
@Controller('departments')
export class DepartmentsController {
  constructor(@Inject(DepartmentsService) private readonly departments: DepartmentsService) {}

  @Get()
  @ApiOperation({ summary: '单位列表 List departments' })
  @ApiOkResponse({ type: DepartmentListDto })
  list(@Query() query: DepartmentListQuery) {
    return this.departments.list({ parentId: query.parentId, kind: query.kind }, query.page, query.limit);
  }

  @Get(':id')
  @ApiOperation({ summary: '单位详情 Get a department' })
  @ApiOkResponse({ type: DepartmentDto })
  @ApiNotFoundResponse({ description: 'department-not-found' })
  get(@Param('id', uuidParam('id')) id: string) {
    return this.departments.get(id);
  }

  @Roles('admin')
  @Post()
  @ApiOperation({ summary: '新建单位 Create a department', description: 'Admins only.' })
  @ApiCreatedResponse({ type: DepartmentDto })
  create(@Body() body: CreateDepartmentDto) {
    return this.departments.create(body);
  }

  @Roles('admin')
  @Patch(':id')
  @ApiOperation({ summary: '修改单位 Update a department', description: 'Admins only.' })
  @ApiOkResponse({ type: DepartmentDto })
  update(@Param('id', uuidParam('id')) id: string, @Body() body: UpdateDepartmentDto) {
    return this.departments.update(id, body);
  }
}

@ApiTags('organisation')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(SessionEvents) private readonly sessions: SessionEvents,
  ) {}

  @Get()
  @ApiOperation({ summary: '人员列表 List users' })
  @ApiOkResponse({ type: UserListDto })
  list(@CurrentUser() user: AuthUser, @Query() query: UserListQuery) {
    return this.users.list({ departmentId: query.departmentId, role: query.role }, query.page, query.limit, user);
  }

  @Get(':id')
  @ApiOperation({ summary: '人员详情 Get a user' })
  @ApiOkResponse({ type: UserDto })
  @ApiNotFoundResponse({ description: 'user-not-found' })
  get(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string) {
    return this.users.get(id, user);
  }

  @Roles('admin')
  @Post()
  @ApiOperation({ summary: '新建人员 Create a user', description: 'Admins only; password is write-only.' })
  @ApiCreatedResponse({ type: UserDto })
  create(@Body() body: CreateUserDto) {
    return this.users.create(body);
  }

  @Roles('admin')
  @Patch(':id')
  @ApiOperation({ summary: '修改人员 Update a user', description: 'Admins only; `disabled: true` ends the user’s sessions.' })
  @ApiOkResponse({ type: UserDto })
  async update(@Param('id', uuidParam('id')) id: string, @Body() body: UpdateUserDto, @CurrentUser() caller: AuthUser) {
    const user = await this.users.update(id, body, caller.id);
    // Password, roles, department and `disabled` may have ended the user's sessions: open streams re-check.
    if ([body.password, body.roles, body.departmentId, body.disabled].some((v) => v !== undefined)) await this.sessions.changed(id);
    return user;
  }
}
