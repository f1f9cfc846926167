import { AccountKind, AccountSize } from '@crm/contracts';
import { z } from 'zod';
import { DuplicateMatchResponse, emailField, idField, onDuplicateOnCreate, onDuplicateOnUpdate, phoneField, tagsField, text } from './customer-fields.dto';

const profile = {
  name: text(300),
  ownerId: text(100).optional(),
  teamId: text(100).optional(),
  industry: text(100).optional(),
  region: text(100).optional(),
  size: AccountSize.optional(),
  tags: tagsField.optional(),
  phone: phoneField.optional(),
  email: emailField.optional(),
  website: text(2000).optional(),
};

export const CreateAccountBody = z
  .object({ kind: AccountKind.default('company'), ...profile, onDuplicate: onDuplicateOnCreate })
  .strict();
export type CreateAccountBody = z.infer<typeof CreateAccountBody>;

/** The same fields as a create, for a duplicate check (nothing is written). */
export const CheckAccountDuplicatesBody = CreateAccountBody.omit({ onDuplicate: true });
export type CheckAccountDuplicatesBody = z.infer<typeof CheckAccountDuplicatesBody>;

/** Only the fields to change; `null` clears an optional field. */
export const UpdateAccountBody = z
  .object({
    name: profile.name.optional(),
    ownerId: profile.ownerId.nullable(),
    teamId: profile.teamId.nullable(),
    industry: profile.industry.nullable(),
    region: profile.region.nullable(),
    size: profile.size.nullable(),
    tags: profile.tags,
    phone: profile.phone.nullable(),
    email: profile.email.nullable(),
    website: profile.website.nullable(),
    onDuplicate: onDuplicateOnUpdate,
  })
  .strict()
  .refine(({ onDuplicate: _, ...changes }) => Object.values(changes).some((v) => v !== undefined), { message: 'nothing to change' });
export type UpdateAccountBody = z.infer<typeof UpdateAccountBody>;

export const AccountIdParam = idField('account');

export const AccountResponse = z.object({
  id: z.string(),
  kind: AccountKind,
  name: z.string(),
  ownerId: z.string().optional(),
  teamId: z.string().optional(),
  industry: z.string().optional(),
  region: z.string().optional(),
  size: AccountSize.optional(),
  tags: z.array(z.string()),
  phone: z.string().optional(),
  email: z.string().optional(),
  website: z.string().optional(),
  fromLeadId: z.string().optional(),
  status: z.enum(['active', 'merged']),
  /** Set when this account was merged into another: follow it. */
  mergedInto: z.string().optional(),
  /** Accounts merged into this one. */
  mergedIds: z.array(z.string()),
  createdAt: z.string(),
  revision: z.number().int(),
});
export type AccountResponse = z.infer<typeof AccountResponse>;

export const AccountDuplicatesResponse = z.object({ matches: z.array(DuplicateMatchResponse) });
