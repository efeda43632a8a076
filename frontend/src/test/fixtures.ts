import type { components } from '@/api/schema';

type Schemas = components['schemas'];
export type User = Schemas['User'];

export const adminUser: Schemas['User'] = {
  id: '0b7e7a0e-4c1f-4a6e-9d3a-2f1f0e6b9a01',
  username: 'ana.perez',
  display_name: 'Ana Pérez',
  email: 'ana.perez@alcaldia.gov.co',
  phone: null,
  role: 'admin',
  auth_source: 'directory',
  active: true,
  locale: 'es-CO',
  organization_id: null,
  area_id: null,
  location_id: null,
  created_at: '2026-01-15T13:00:00Z',
  updated_at: '2026-01-15T13:00:00Z',
  version: 1,
};

export function tokenResponse(
  user: Schemas['User'] = adminUser,
  suffix = '1',
): Schemas['TokenResponse'] {
  return {
    access_token: `access-${suffix}`,
    token_type: 'Bearer',
    expires_in: 900,
    refresh_token: `refresh-${suffix}`,
    refresh_expires_in: 1_209_600,
    user,
  };
}

export function problem(status: number, code: string, title: string): Schemas['Problem'] {
  return { type: `https://mesa.example/problems/${code}`, title, status, detail: null, code };
}

export type CatalogNode = Schemas['CatalogNode'];
export type ServiceDetail = Schemas['ServiceDetail'];

export const requesterUser: Schemas['User'] = {
  ...adminUser,
  id: '0b7e7a0e-4c1f-4a6e-9d3a-2f1f0e6b9a02',
  username: 'lucia.martinez',
  display_name: 'Lucía Martínez',
  email: 'lucia.martinez@mesa.local',
  phone: '602 555 0101',
  role: 'requester',
  organization_id: '5a000000-0000-4000-8000-000000000001',
  area_id: '5b000000-0000-4000-8000-000000000001',
  location_id: null,
};

export const agentUser: Schemas['User'] = {
  ...adminUser,
  id: '0b7e7a0e-4c1f-4a6e-9d3a-2f1f0e6b9a03',
  username: 'agente.n1',
  display_name: 'Andrés Agudelo',
  role: 'agent',
};

export const ticDesk: Schemas['Desk'] = {
  id: 'd0000000-0000-4000-8000-000000000001',
  code: 'TIC',
  name: 'Mesa de servicios TIC',
  description: 'Tecnologías de la información y las comunicaciones',
  timezone: 'America/Bogota',
  auto_close_hours: 48,
  survey_satisfied_min: 3,
  active: true,
  organization_ids: [],
  supervisor_ids: [],
  mailbox: null,
  require_identity_number: false,
  notification_kinds: ['registered', 'assigned', 'followup', 'resolved'],
  created_at: '2026-01-15T13:00:00Z',
  updated_at: '2026-01-15T13:00:00Z',
  version: 1,
};

export const adminDesk: Schemas['Desk'] = {
  ...ticDesk,
  id: 'd0000000-0000-4000-8000-000000000002',
  code: 'ADM',
  name: 'Servicios administrativos',
  description: null,
};

export function service(overrides: Partial<ServiceDetail> = {}): ServiceDetail {
  return {
    audience: { everyone: true },
    form_fields: [],
    required_attachments: [],
    default_type: 'request',
    default_priority: 'medium',
    routes: [],
    availability: null,
    objective: null,
    scope: null,
    promised_resolution: null,
    resolution_minutes: null,
    ...overrides,
  };
}

let nextNode = 0;
function node(kind: 'category' | 'service', name: string, rest: Partial<CatalogNode> = {}): CatalogNode {
  nextNode += 1;
  return {
    id: `c0000000-0000-4000-8000-${String(nextNode).padStart(12, '0')}`,
    code: name.toLowerCase().replace(/\W+/g, '-'),
    kind,
    name,
    position: nextNode,
    active: true,
    version: 1,
    description: null,
    parent_id: null,
    children: [],
    service: null,
    ...rest,
  };
}

export const siteSupport = node('service', 'Soporte virtual o en sitio', {
  description: 'Asistencia remota o en el puesto de trabajo para equipos de cómputo y periféricos.',
  service: service({
    objective: 'Restablecer el funcionamiento de los equipos de los servidores públicos.',
    scope: 'Equipos de cómputo, impresoras y periféricos de la entidad.',
    availability: 'Lunes a viernes 7:30 a. m. – 5:00 p. m.',
    promised_resolution: '8 horas hábiles',
    resolution_minutes: 480,
    default_type: 'incident',
    form_fields: [
      { key: 'placa_equipo', type: 'text', label: { es: 'Placa del equipo', en: 'Asset tag' }, required: true, help: { es: 'Está en la etiqueta del inventario.', en: 'On the inventory sticker.' } },
      { key: 'cantidad', type: 'number', label: { es: 'Cantidad de equipos' }, required: false },
      { key: 'fecha_falla', type: 'date', label: { es: 'Fecha de la falla', en: 'Date of the failure' }, required: false },
      {
        key: 'tipo_equipo',
        type: 'select',
        label: { es: 'Tipo de equipo', en: 'Device type' },
        required: true,
        options: [
          { value: 'portatil', label: { es: 'Portátil', en: 'Laptop' } },
          { value: 'escritorio', label: { es: 'Escritorio', en: 'Desktop' } },
        ],
      },
      { key: 'acepta_remoto', type: 'checkbox', label: { es: 'Acepto la conexión remota', en: 'I accept the remote connection' }, required: true },
      { key: 'detalle', type: 'long_text', label: { es: 'Detalle adicional' }, required: false },
    ],
    required_attachments: [
      { key: 'foto_equipo', label: { es: 'Foto del equipo', en: 'Photo of the device' }, description: { es: 'Una foto donde se vea la placa.' } },
    ],
  }),
});

export const printing = node('service', 'Impresión y escáner', {
  description: 'Configuración de impresoras y escáneres en red.',
  service: service({ promised_resolution: '1 día hábil' }),
});

export const ctoSupport = node('category', 'Soporte Técnico CTO', { children: [siteSupport, printing] });
export const email = node('service', 'Correo electrónico institucional', {
  description: 'Creación de cuentas y cambio de contraseña del correo.',
});
email.service = service();
export const tic = node('category', 'TIC', { children: [ctoSupport, email] });
export const furniture = node('service', 'Mantenimiento de mobiliario');
furniture.service = service();
export const facilities = node('category', 'Infraestructura física', { children: [furniture] });

export const ticCatalog: Schemas['CatalogTree'] = { desk_id: ticDesk.id, nodes: [tic, facilities] };

export const hacienda: Schemas['Organization'] = {
  id: requesterUser.organization_id!,
  name: 'Secretaría de Hacienda',
  short_name: 'SHAC',
  active: true,
  created_at: '2026-01-15T13:00:00Z',
  updated_at: '2026-01-15T13:00:00Z',
  version: 1,
};
export const education: Schemas['Organization'] = { ...hacienda, id: '5a000000-0000-4000-8000-000000000002', name: 'Secretaría de Educación', short_name: 'SEDU' };
export const treasury: Schemas['Area'] = {
  id: requesterUser.area_id!,
  organization_id: hacienda.id,
  name: 'Subdirección de Tesorería',
  active: true,
  created_at: '2026-01-15T13:00:00Z',
  updated_at: '2026-01-15T13:00:00Z',
  version: 1,
};
export const cam: Schemas['Location'] = {
  id: '5c000000-0000-4000-8000-000000000001',
  name: 'CAM - Torre Alcaldía',
  address: 'Avenida 2 Norte # 10-70',
  organization_id: null,
  active: true,
  created_at: '2026-01-15T13:00:00Z',
  updated_at: '2026-01-15T13:00:00Z',
  version: 1,
};

export function page<T>(items: T[], next_cursor: string | null = null) {
  return { items, next_cursor };
}

export type Ticket = Schemas['Ticket'];
export type TicketSummary = Schemas['TicketSummary'];

export function ticket(overrides: Partial<Ticket> = {}): Ticket {
  return {
    id: 'e0000000-0000-4000-8000-000000000123',
    number: 123,
    desk_id: ticDesk.id,
    service: { id: siteSupport.id, name: siteSupport.name },
    type: 'incident',
    priority: 'medium',
    impact: null,
    urgency: null,
    status: 'assigned',
    subject: 'El computador no enciende',
    description: 'Desde esta mañana el equipo no enciende.',
    contact_phone: '602 555 0101',
    location_id: cam.id,
    area_id: treasury.id,
    organization_id: hacienda.id,
    requester: { id: requesterUser.id, name: requesterUser.display_name },
    created_by_id: requesterUser.id,
    channel: 'portal',
    assigned_group: { id: 'g0000000-0000-4000-8000-000000000001', name: 'CTO Secretaría de Hacienda - Nivel 1' },
    assigned_agent: null,
    level: 1,
    fields: {},
    hold: null,
    rejection: null,
    solution: null,
    reopen_count: 0,
    response_due_at: null,
    resolution_due_at: null,
    taken_at: null,
    resolved_at: null,
    closed_at: null,
    created_at: '2026-11-23T15:00:00Z',
    updated_at: '2026-11-23T15:00:00Z',
    version: 1,
    allowed_actions: ['cancel'],
    ...overrides,
  };
}

/** The list item of a case: the fields of `GET /tickets` items, taken from `ticket(overrides)`. */
export function summary(overrides: Partial<Ticket> = {}): TicketSummary {
  const t = ticket(overrides);
  return {
    id: t.id,
    number: t.number,
    desk_id: t.desk_id,
    service: t.service,
    type: t.type,
    priority: t.priority,
    status: t.status,
    subject: t.subject,
    requester: t.requester,
    channel: t.channel,
    assigned_group: t.assigned_group,
    assigned_agent: t.assigned_agent,
    level: t.level,
    reopen_reason: t.reopen_reason,
    resolution_due_at: t.resolution_due_at,
    created_at: t.created_at,
    updated_at: t.updated_at,
    version: t.version,
    sla: t.sla,
  };
}
