import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, ValidateIf } from 'class-validator';
import { DATE_FORMATS, ITEMS_PER_PAGE_CHOICES, LANGUAGES, THEMES } from '@clocktower/contracts';
import type { UserSettings } from '../../domain/user-settings.js';

const DOCS = {
  itemsPerPage: 'Rows per page of the dashboard’s lists.',
  dateFormat:
    'How times are shown: ISO 8601, the browser’s local format, or relative (“3 min ago”).',
  theme: 'Colour theme; system follows the browser’s preference.',
  language: 'Language of the dashboard.',
} as const;

/** Absent means unchanged; null is not a value (a setting cannot be unset, only set). */
const Given = (): PropertyDecorator =>
  ValidateIf((_body: object, value: unknown) => value !== undefined);

/** `PUT /users/me/settings`: any of the settings; those absent stay as they are. */
export class UserSettingsBody {
  @ApiPropertyOptional({ enum: ITEMS_PER_PAGE_CHOICES, description: DOCS.itemsPerPage })
  @Given()
  @IsIn(ITEMS_PER_PAGE_CHOICES, { message: 'itemsPerPage must be one of 25, 50, 100, 200' })
  itemsPerPage?: UserSettings['itemsPerPage'];

  @ApiPropertyOptional({ enum: DATE_FORMATS, description: DOCS.dateFormat })
  @Given()
  @IsIn(DATE_FORMATS, { message: 'dateFormat must be one of iso, local, relative' })
  dateFormat?: UserSettings['dateFormat'];

  @ApiPropertyOptional({ enum: THEMES, description: DOCS.theme })
  @Given()
  @IsIn(THEMES, { message: 'theme must be one of light, dark, system' })
  theme?: UserSettings['theme'];

  @ApiPropertyOptional({ enum: LANGUAGES, description: DOCS.language })
  @Given()
  @IsIn(LANGUAGES, { message: 'language must be one of en, fr' })
  language?: UserSettings['language'];
}

/** The caller's settings, every one (defaults for those never chosen). */
export class UserSettingsResponse implements UserSettings {
  @ApiProperty({ enum: ITEMS_PER_PAGE_CHOICES, description: DOCS.itemsPerPage })
  itemsPerPage!: UserSettings['itemsPerPage'];
  @ApiProperty({ enum: DATE_FORMATS, description: DOCS.dateFormat })
  dateFormat!: UserSettings['dateFormat'];
  @ApiProperty({ enum: THEMES, description: DOCS.theme })
  theme!: UserSettings['theme'];
  @ApiProperty({ enum: LANGUAGES, description: DOCS.language })
  language!: UserSettings['language'];
}
