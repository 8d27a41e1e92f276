import { Module, type DynamicModule } from '@nestjs/common';
import { DashboardController } from './dashboard.controller.js';
import { DashboardFiles } from './dashboard-files.js';

/** The web dashboard's static files, served from the built folder (`CLOCKTOWER_DASHBOARD_DIR`). */
@Module({})
export class DashboardModule {
  static serving(dir: string): DynamicModule {
    return {
      module: DashboardModule,
      controllers: [DashboardController],
      providers: [{ provide: DashboardFiles, useValue: new DashboardFiles(dir) }],
    };
  }
}
