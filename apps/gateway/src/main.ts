import './telemetry';
import { runService } from '@crm/nest-kit';
import { AppModule } from './app.module';

runService('gateway', 'Entry point of the suite.', () => AppModule);
