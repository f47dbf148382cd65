/**
 * Shared by the app package tests: the environments, stand-ins for the values
 * provisioning generates, and manifest paths in the localization files' notation.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readEnvironment, substitutePlaceholders, type Json, type JsonObject, type UnresolvedPlaceholder } from '../../scripts/package-app';

export const repositoryRoot = path.resolve(__dirname, '..', '..');
export const appPackageFolder = path.join(repositoryRoot, 'appPackage');
export const manifestPath = path.join(appPackageFolder, 'manifest.json');

/** The environments whose app package is built from this manifest (teamsapp.yml and teamsapp.local.yml). */
export const PACKAGED_ENVIRONMENTS = ['dev', 'local'];

/** Stand-ins for the values provisioning generates (empty in the committed env files). */
export const PROVISIONED_STAND_INS: Record<string, string> = {
  TEAMS_APP_ID: '3f0c6d8e-5a1b-4c2d-9e7f-0a1b2c3d4e5f',
  BOT_ID: '7b2e9c41-8d3a-4f6b-a5c0-1e2f3a4b5c6d',
  BOT_DOMAIN: 'okonomilonn-test.azurewebsites.net',
  TAB_APP_CLIENT_ID: '5d2c8e1a-4b3f-4e6a-9c7d-2f1e0a9b8c7d',
};

/** Only the committed env file of an environment (no .user file, no process environment). */
export function committedEnvironment(name: string): Record<string, string> {
  return readEnvironment(repositoryRoot, name, {}).values;
}

/** An environment's committed values with the stand-ins for what provisioning fills in. */
export function provisionedEnvironment(name: string): Record<string, string> {
  const values = committedEnvironment(name);
  for (const [key, value] of Object.entries(PROVISIONED_STAND_INS)) if (!values[key]) values[key] = value;
  return values;
}

export function readResolvedJson(file: string, values: Record<string, string>): JsonObject {
  const unresolved: UnresolvedPlaceholder[] = [];
  const text = substitutePlaceholders(fs.readFileSync(file, 'utf8'), values, path.basename(file), unresolved);
  if (unresolved.length > 0) throw new Error(`No value for ${unresolved.map((u) => u.name).join(', ')}`);
  return JSON.parse(text) as JsonObject;
}

/** Every string of a JSON value by its path in the notation localization files use: bots[0].commandLists[1].title */
export function flattenStrings(value: Json, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof value === 'string') {
    out.set(prefix, value);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => {
      for (const [k, v] of flattenStrings(item, `${prefix}[${index}]`)) out.set(k, v);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      for (const [k, v] of flattenStrings(item, prefix ? `${prefix}.${key}` : key)) out.set(k, v);
    }
  }
  return out;
}
