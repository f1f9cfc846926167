import { Module } from '@nestjs/common';
import { LeadCommandsService } from './application/lead-commands.service';
import { LeadController } from './http/lead.controller';

@Module({ controllers: [LeadController], providers: [LeadCommandsService] })
export class LeadModule {}
