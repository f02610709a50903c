// types.ts - the API's schemas by name, as the pages use them.
import type { components } from './schema';

export type Schemas = components['schemas'];
export type School = Schemas['School'];
export type SchoolYear = Schemas['SchoolYear'];
export type Budget = Schemas['Budget'];
export type BudgetTotals = Schemas['BudgetTotals'];
export type TrustBudgets = Schemas['TrustBudgets'];
export type TrustBudgetEntity = Schemas['TrustBudgetEntity'];
export type Contract = Schemas['Contract'];
export type AuditEntry = Schemas['AuditEntry'];
export type Me = Schemas['Me'];
