import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { retryUntilDone } from '@microshop/runtime';
import { DEFAULT_ADMIN_PASSWORD, UserServiceConfig } from '../config';
import { USER_SERVICE_CONFIG } from '../config.module';
import { UsersService } from './users.service';

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;

/**
 * The admin account from ADMIN_EMAIL/ADMIN_PASSWORD, created at boot when no account has that
 * address; an existing account is never elevated (UsersService.ensureAdmin). In the background,
 * retrying until the store answers: the app boots (and reports the store in readiness) while
 * MongoDB is down.
 */
@Injectable()
export class AdminAccount implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AdminAccount.name);
  private stopped = false;

  constructor(
    private readonly users: UsersService,
    @Inject(USER_SERVICE_CONFIG) private readonly config: UserServiceConfig,
  ) {}

  onApplicationBootstrap(): void {
    void this.ensure();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
  }

  private async ensure(): Promise<void> {
    const { email, password } = this.config.admin;
    await retryUntilDone(
      async () => {
        const outcome = await this.users.ensureAdmin(email, password);
        if (outcome === 'not-admin') {
          this.logger.warn(
            `ADMIN_EMAIL ${email} belongs to an account without the admin role; it is not promoted at boot. ` +
              'An admin can grant the role (PATCH /users/{id}/roles, audited in the log), or set ADMIN_EMAIL ' +
              'to an address no account has, and that admin account is created at the next boot.',
          );
          return;
        }
        this.logger.log(`Admin account ${email}: ${outcome}`);
        if (outcome === 'created' && password === DEFAULT_ADMIN_PASSWORD) {
          this.logger.warn(
            'The admin account has the development default password: set ADMIN_PASSWORD',
          );
        }
      },
      {
        what: `Admin account ${email} not ensured yet`,
        logger: this.logger,
        firstDelayMs: FIRST_RETRY_MS,
        maxDelayMs: MAX_RETRY_MS,
        stopped: () => this.stopped,
      },
    );
  }
}
