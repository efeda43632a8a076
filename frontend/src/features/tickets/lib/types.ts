import type { components, paths } from '@/api/schema';

type Schemas = components['schemas'];
export type Ticket = Schemas['Ticket'];
/** A case as lists show it (`GET /tickets` items). */
export type TicketSummary = Schemas['TicketSummary'];
export type TicketPage = Schemas['TicketPage'];
export type Followup = Schemas['Followup'];
export type TicketEvent = Schemas['TicketEvent'];
export type Attachment = Schemas['Attachment'];
export type Action = Schemas['Action'];
export type Status = Schemas['Status'];
export type Priority = Schemas['Priority'];
export type TicketType = Schemas['TicketType'];
export type HoldReason = Schemas['HoldReason'];
export type Level3 = Schemas['Level3'];
export type Visibility = Schemas['Visibility'];
export type Channel = Schemas['Channel'];
export type Group = Schemas['Group'];
export type QueueCounts = Schemas['QueueCounts'];
export type ListQuery = NonNullable<paths['/api/v1/tickets']['get']['parameters']['query']>;
export type View = NonNullable<ListQuery['view']>;
export type SlaView = Schemas['SlaView'];
export type ClockView = Schemas['ClockView'];
export type ClockState = Schemas['ClockState'];
