import './telemetry';
import { runService } from '@crm/nest-kit';
import { AppModule } from './app.module';

runService('insights', 'Read models and reports built from every context’s events.', (config) => AppModule.forRoot(config));
