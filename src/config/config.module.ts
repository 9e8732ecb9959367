import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig, loadConfig } from './app-config';
import { APP_CONFIG } from './config.constants';

/** Reads the environment once; tests pass overrides instead of touching process.env. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: config ?? loadConfig(process.env) }],
      exports: [APP_CONFIG],
    };
  }
}
