import { NotifyFieldError } from '../errors/index.js';
import { parseAmount, type Amount } from './amount.js';
import { parseBeijingTime } from './beijing-time.js';

type Fields = Readonly<Record<string, string | undefined>>;

/** A required string field; empty or absent is `ERR_FIELD_INVALID`. */
export function requiredText(fields: Fields, name: string): string {
  const v = fields[name];
  if (v === undefined || v === '') throw new NotifyFieldError(name, 'required field is missing');
  return v;
}

/** An optional string field; empty counts as absent. */
export function optionalText(fields: Fields, name: string): string | undefined {
  const v = fields[name];
  return v === undefined || v === '' ? undefined : v;
}

/** An optional amount field. */
export function optionalAmount(fields: Fields, name: string): Amount | undefined {
  const v = optionalText(fields, name);
  return v === undefined ? undefined : parseAmount(v, name);
}

/** An optional Beijing-time field. */
export function optionalTime(fields: Fields, name: string): Date | undefined {
  const v = optionalText(fields, name);
  return v === undefined ? undefined : parseBeijingTime(v, name);
}

/** A required Beijing-time field. */
export function requiredTime(fields: Fields, name: string): Date {
  return parseBeijingTime(requiredText(fields, name), name);
}
