import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { DEPARTMENT_KINDS, type DepartmentKind, type Role, ROLES } from '@duban/db';
import { PageQuery, LowercaseIds } from '@duban/http';

const CODE = /^[A-Za-z0-9_.-]{1,64}$/;
const USERNAME = /^[A-Za-z0-9_.@-]{2,64}$/;

export class CreateDepartmentDto {
  @ApiProperty({ example: 'sgzsj' })
  @Matches(CODE, { message: 'must be 1–64 letters, digits, "_", "." or "-"' })
  code!: string;

  @ApiProperty({ example: '韶关市政务服务数据管理局' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ enum: DEPARTMENT_KINDS })
  @IsIn(DEPARTMENT_KINDS)
  kind!: DepartmentKind;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @IsOptional()
  @LowercaseIds()
  @IsUUID()
  parentId?: string | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @IsOptional()
  @LowercaseIds()
  @IsUUID()
  supervisorDepartmentId?: string | null;

  @ApiPropertyOptional({ type: [String], example: ['政数局'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  aliases?: string[];
}

export class UpdateDepartmentDto {
  @ApiPropertyOptional() @IsOptional() @Matches(CODE, { message: 'must be 1–64 letters, digits, "_", "." or "-"' }) code?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) name?: string;
  @ApiPropertyOptional({ enum: DEPARTMENT_KINDS }) @IsOptional() @IsIn(DEPARTMENT_KINDS) kind?: DepartmentKind;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @ValidateIf((o: UpdateDepartmentDto) => o.parentId !== null && o.parentId !== undefined)
  @LowercaseIds()
  @IsUUID()
  parentId?: string | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @ValidateIf((o: UpdateDepartmentDto) => o.supervisorDepartmentId !== null && o.supervisorDepartmentId !== undefined)
  @LowercaseIds()
  @IsUUID()
  supervisorDepartmentId?: string | null;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  aliases?: string[];
}

export class DepartmentListQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @LowercaseIds() @IsUUID() parentId?: string;
  @ApiPropertyOptional({ enum: DEPARTMENT_KINDS }) @IsOptional() @IsIn(DEPARTMENT_KINDS) kind?: DepartmentKind;
}

export class CreateUserDto {
  @ApiProperty({ example: 'wang.lei' })
  @Matches(USERNAME, { message: 'must be 2–64 letters, digits, "_", ".", "@" or "-"' })
  username!: string;

  @ApiProperty({ example: '王磊' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  displayName!: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @IsOptional()
  @LowercaseIds()
  @IsUUID()
  departmentId?: string | null;

  @ApiProperty({ enum: ROLES, isArray: true })
  @IsArray()
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles!: Role[];

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsEmail()
  email?: string | null;

  @ApiProperty({ format: 'password', minLength: 8, writeOnly: true })
  @IsString()
  @MinLength(8)
  @MaxLength(256)
  password!: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional() @IsOptional() @Matches(USERNAME, { message: 'must be 2–64 letters, digits, "_", ".", "@" or "-"' }) username?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) displayName?: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @ValidateIf((o: UpdateUserDto) => o.departmentId !== null && o.departmentId !== undefined)
  @LowercaseIds()
  @IsUUID()
  departmentId?: string | null;

  @ApiPropertyOptional({ enum: ROLES, isArray: true }) @IsOptional() @IsArray() @ArrayUnique() @IsIn(ROLES, { each: true }) roles?: Role[];

  @ApiPropertyOptional({ type: String, nullable: true })
  @ValidateIf((o: UpdateUserDto) => o.email !== null && o.email !== undefined)
  @IsEmail()
  email?: string | null;

  @ApiPropertyOptional({ format: 'password', writeOnly: true }) @IsOptional() @IsString() @MinLength(8) @MaxLength(256) password?: string;

  /** A disabled user cannot log in and its tokens are refused; enabling it again does not revive them. */
  @ApiPropertyOptional({ type: Boolean }) @IsOptional() @IsBoolean() disabled?: boolean;
}

export class UserListQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @LowercaseIds() @IsUUID() departmentId?: string;
  @ApiPropertyOptional({ enum: ROLES }) @IsOptional() @IsIn(ROLES) role?: Role;
}

export class DepartmentDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'sgzsj' }) code!: string;
  @ApiProperty({ example: '韶关市政务服务数据管理局' }) name!: string;
  @ApiProperty({ enum: DEPARTMENT_KINDS, enumName: 'DepartmentKind' }) kind!: DepartmentKind;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) parentId!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) supervisorDepartmentId!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Its own supervisorDepartmentId, else the nearest ancestor’s' })
  effectiveSupervisorDepartmentId!: string | null;

  @ApiProperty({ type: [String], example: ['政数局'] }) aliases!: string[];
}

export class DepartmentListDto {
  @ApiProperty({ type: [DepartmentDto] }) items!: DepartmentDto[];
  @ApiProperty() total!: number;
}

export class UserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'wang.lei' }) username!: string;
  @ApiProperty({ example: '王磊' }) displayName!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) departmentId!: string | null;
  @ApiProperty({ enum: ROLES, enumName: 'Role', isArray: true }) roles!: Role[];
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Absent when a non-admin reads another user' }) email?: string | null;
  @ApiPropertyOptional({ description: 'Shown to admins only' }) disabled?: boolean;
}

export class UserListDto {
  @ApiProperty({ type: [UserDto] }) items!: UserDto[];
  @ApiProperty() total!: number;
}
