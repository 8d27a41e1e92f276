import { resolve } from 'node:path';
import { IsBoolean, IsEmail, IsNotEmpty, IsString } from 'class-validator';
import { EnvBoolean, EnvKey } from '@clocktower/config';
import { PlatformConfig } from '@clocktower/platform';

/** gateway's configuration: the platform's keys (see the README), its default PORT, and access. */
export class GatewayConfig extends PlatformConfig {
  override port = 8080;

  /**
   * Every user sees every job (many sites prefer it: Slurm's own squeue shows everyone's jobs).
   * Off by default: a user sees their own jobs, an admin all. Per-cluster limits apply either way.
   */
  @EnvBoolean('CLOCKTOWER_ALL_JOBS_VISIBLE') @IsBoolean() allJobsVisible = false;

  /**
   * On start, when the store has no admin yet, create one with this email and an API key written
   * to `<CLOCKTOWER_DATA>/admin.key` (mode 600). The embedded app turns it on; a standalone
   * gateway leaves it off, its admins being made with the users CLI.
   */
  @EnvBoolean('CLOCKTOWER_BOOTSTRAP_ADMIN') @IsBoolean() bootstrapAdmin = false;

  @EnvKey('CLOCKTOWER_ADMIN_EMAIL')
  @IsEmail({ require_tld: false }, { message: 'must be an email address' })
  adminEmail = 'admin@localhost';

  /**
   * The built web dashboard (index.html and assets/): by default the package's own `dist/web`,
   * where the build puts it. Relative paths are taken from the working directory.
   */
  @EnvKey('CLOCKTOWER_DASHBOARD_DIR')
  @IsString()
  @IsNotEmpty()
  dashboardDir = resolve(import.meta.dirname, '../web');
}
