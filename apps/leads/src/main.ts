import './telemetry';
import { runService } from '@crm/nest-kit';
import { AppModule } from './app.module';

runService('leads', 'Lead capture and lifecycle: capture (de-duplicated), qualify, disqualify, convert, merge; pool, assignment, scoring, campaigns.', (config) => AppModule.forRoot(config));
