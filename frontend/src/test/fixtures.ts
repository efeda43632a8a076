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
