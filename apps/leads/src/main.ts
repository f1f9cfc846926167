import './telemetry';
import { runService } from '@crm/nest-kit';
import { AppModule } from './app.module';

runService('leads', 'Lead capture and lifecycle: capture, qualify, disqualify, convert.', (config) => AppModule.forRoot(config));
