import { EVENT_STORE, PG_POOL } from '@crm/nest-kit';
import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { Pool } from 'pg';
import { LeadCommandsService } from '../lead/application/lead-commands.service';
import { InMemoryLeadImportJobStore, type LeadImportJobStore } from './application/lead-import-job.store';
import { DEFAULT_LEAD_IMPORT_SETTINGS, LEAD_IMPORT_JOBS, LEAD_IMPORT_SETTINGS, LeadImportService } from './application/lead-import.service';
import { LeadExportQuery } from './application/lead-export.query';
import { PostgresLeadImportJobStore } from './application/postgres-lead-import-job.store';
import { LeadExportController } from './http/lead-export.controller';
import { LeadImportController } from './http/lead-import.controller';
import { IMPORT_CONTENT_TYPES } from './http/lead-import.dto';

/**
 * CSV/XLSX lead import jobs and the CSV export. Jobs live in `leads.lead_import_jobs` when the
 * service has a PostgreSQL pool, in memory otherwise (lost on restart).
 */
@Module({
  controllers: [LeadExportController, LeadImportController],
  providers: [
    // Stateless (event store + clock): this module's own instance, so LeadModule need not export it.
    LeadCommandsService,
    LeadImportService,
    LeadExportQuery,
    { provide: LEAD_IMPORT_SETTINGS, useValue: DEFAULT_LEAD_IMPORT_SETTINGS },
    {
      provide: LEAD_IMPORT_JOBS,
      // After the event store: its migration creates the schema.
      inject: [PG_POOL, EVENT_STORE],
      useFactory: async (pool: Pool | undefined): Promise<LeadImportJobStore> => {
        if (!pool) return new InMemoryLeadImportJobStore();
        const store = new PostgresLeadImportJobStore(pool, 'leads');
        await store.migrate();
        return store;
      },
    },
  ],
})
export class LeadImportModule implements OnModuleInit {
  constructor(@Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost) {}

  /**
   * Upload bodies reach the controller as the raw request stream, unparsed and unbuffered, so
   * Fastify's 1 MiB body limit does not apply; LeadImportService enforces its own (200 MB).
   */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    for (const type of Object.keys(IMPORT_CONTENT_TYPES)) {
      if (!fastify.hasContentTypeParser(type)) fastify.addContentTypeParser(type, (_request, payload, done) => done(null, payload));
    }
  }
}
