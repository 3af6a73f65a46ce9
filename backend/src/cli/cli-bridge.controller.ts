import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import { timingSafeEqual } from 'node:crypto';
import { Public } from '../common/auth/public.decorator';
import { AppError } from '../common/errors/app-error';
import { CliCommandDto } from './cli-bridge.dto';
import { CliUsageError, runCliCommand } from './cli-commands';

/** Where the CLI runs its commands while this backend holds the embedded database. Loopback + token only. */
@ApiExcludeController()
@Public()
@Controller('internal/cli')
export class CliBridgeController {
  static adminToken: string | undefined;

  constructor(private readonly moduleRef: ModuleRef) {}

  @Post()
  @HttpCode(200)
  async run(@Headers('x-admin-token') token: string | undefined, @Body() body: CliCommandDto) {
    const expected = CliBridgeController.adminToken;
    if (!expected || !token || token.length !== expected.length || !timingSafeEqual(Buffer.from(token), Buffer.from(expected))) {
      throw new AppError('forbidden', 'Not allowed');
    }
    try {
      return { result: await runCliCommand({ get: (token) => this.moduleRef.get(token, { strict: false }) }, body.command, body.args) };
    } catch (error) {
      if (error instanceof CliUsageError) throw new AppError('validation_failed', error.message);
      throw error;
    }
  }
}
