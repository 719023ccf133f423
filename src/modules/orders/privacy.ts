// Who sees a citizen's name, phone and address. Full data is needed to call the citizen back and
// to handle the request; leaders and administrators get masked data; a confidential order (a
// whistle-blower) shows its citizen only to the hotline staff who register and call back.
import { hasRole, type Actor } from '../auth/index.js';
import type { PersonalDataVisibility } from './model.js';

export function personalDataVisibility(actor: Actor, confidential: boolean): PersonalDataVisibility {
  if (confidential) return hasRole(actor, 'agent', 'lead', 'visitor') ? 'full' : 'hidden';
  if (actor.kind === 'api_key') return actor.scopes.includes('personal_data') ? 'full' : 'masked';
  if (hasRole(actor, 'agent', 'lead', 'dispatcher', 'visitor', 'supervisor', 'unit_handler', 'unit_manager')) return 'full';
  return 'masked';
}

/** 张三丰 → 张**; keeps the family name only. */
export function maskName(name: string | null): string | null {
  if (!name) return name;
  const chars = [...name];
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

/** 13812345678 → 138****5678. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return phone;
  if (phone.length <= 4) return '*'.repeat(phone.length);
  if (phone.length < 8) return '*'.repeat(phone.length - 4) + phone.slice(-4);
  return phone.slice(0, 3) + '*'.repeat(phone.length - 7) + phone.slice(-4);
}

/** Keeps the first six characters (city and district), hides the rest. */
export function maskAddress(address: string | null): string | null {
  if (!address) return address;
  const chars = [...address];
  return chars.slice(0, 6).join('') + (chars.length > 6 ? '***' : '');
}

export function presentCitizen(
  row: { citizen_name: string | null; citizen_phone: string | null; citizen_address: string | null },
  visibility: PersonalDataVisibility,
) {
  if (visibility === 'hidden') return { name: null, phone: null, address: null, visibility };
  if (visibility === 'full') {
    return { name: row.citizen_name, phone: row.citizen_phone, address: row.citizen_address, visibility };
  }
  return { name: maskName(row.citizen_name), phone: maskPhone(row.citizen_phone), address: maskAddress(row.citizen_address), visibility };
}
