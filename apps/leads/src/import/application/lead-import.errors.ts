import { DomainError, type DomainErrorKind } from '@crm/domain';

export type LeadImportErrorCode = 'empty_file' | 'unrecognised_columns' | 'unreadable_file' | 'import_not_found';

const KIND: Record<LeadImportErrorCode, DomainErrorKind> = {
  empty_file: 'invalid',
  unrecognised_columns: 'invalid',
  unreadable_file: 'invalid',
  import_not_found: 'not_found',
};

export class LeadImportError extends DomainError<LeadImportErrorCode> {
  constructor(code: LeadImportErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, message, KIND[code], details);
  }
}
