import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { SERVICE_CONTEXT, type ServiceContext } from '@clocktower/platform';
import { AdminUsersController } from '../adapters/http/admin-users.controller.js';
import { UsersMeController } from '../adapters/http/users-me.controller.js';
import type { GatewayConfig } from '../app/config.js';
import { bootstrapAdmin } from './admin-bootstrap.js';
import { ApiKeyGuard, AUTH_SETTINGS, type AuthSettings } from './api-key.guard.js';
import { UserAccounts } from './user-accounts.js';
import { UserDirectoryFollower } from './user-directory.follower.js';

/** Follows the user events while the gateway runs; creates the first admin when configured to. */
@Injectable()
class AuthLifecycle implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    private readonly follower: UserDirectoryFollower,
    @Inject(SERVICE_CONTEXT) private readonly context: ServiceContext<GatewayConfig>,
  ) {}

  onModuleInit(): void {
    this.follower.start();
  }

  /** Before the gateway listens: the admin's key is in place by the time anyone can call. */
  async onApplicationBootstrap(): Promise<void> {
    const { config, store, logger } = this.context;
    if (!config.bootstrapAdmin || !store) return;
    const outcome = await bootstrapAdmin(store, {
      dataDir: config.dataDir,
      email: config.adminEmail,
    });
    // The key file's path only: the key itself is never logged.
    if (outcome.kind === 'created') {
      logger.log({ msg: 'admin created', email: outcome.email, keyFile: outcome.keyFile });
    } else if (outcome.kind === 'refused') {
      logger.warn({ msg: 'no admin created', reason: outcome.reason });
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.follower.stop();
  }
}

/**
 * Users, API keys and access for the gateway: the global ApiKeyGuard (a key on every /api/ route
 * but @Public() ones; @Roles() checked), the user directory it reads (readiness check
 * `user-directory`), the admin API for users and keys, and GET /api/v1/users/me.
 */
@Module({})
export class AuthModule {
  static forContext(context: ServiceContext<GatewayConfig>): DynamicModule {
    const store = context.store;
    if (!store) {
      throw new Error('the gateway keeps its users in the event store: start it with a store');
    }
    const follower = new UserDirectoryFollower(store, context.logger);
    context.readiness.add(follower.readinessCheck());
    const accounts = new UserAccounts(store, follower.directory, {
      afterWrite: (position) => follower.reached(position),
    });
    const settings: AuthSettings = {
      allJobsVisible: context.config.allJobsVisible,
      logger: context.logger,
    };
    return {
      module: AuthModule,
      controllers: [AdminUsersController, UsersMeController],
      providers: [
        { provide: SERVICE_CONTEXT, useValue: context },
        { provide: UserDirectoryFollower, useValue: follower },
        { provide: UserAccounts, useValue: accounts },
        { provide: AUTH_SETTINGS, useValue: settings },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        AuthLifecycle,
      ],
      exports: [UserDirectoryFollower, UserAccounts, AUTH_SETTINGS],
    };
  }
}
