import fs from 'node:fs';
import path from 'node:path';
import type { ApplicationInput } from '../domain/application';
import { createDb } from '../platform/db';
import { projectRoot } from '../platform/paths';

const example = JSON.parse(
  fs.readFileSync(path.join(projectRoot, 'examples', 'applications', 'summit-wl-clean.json'), 'utf8'),
) as ApplicationInput;

/** Where the example was signed and with whom its broker must be licensed and appointed. */
const BROKER = { npn: example.broker.npn, state: example.stateOfSigning, carrier: example.carrier };

/**
 * The clean Summit example with its own application number. It is signed today: the example's
 * fixed date would fall out of the carrier's 180-day window as the calendar moves on.
 */
export function benchApplication(tag: string, i: number): ApplicationInput {
  const app = structuredClone(example);
  app.applicationNumber = `BN-${tag}-${i}`;
  app.signedOn = new Date().toISOString().slice(0, 10);
  return app;
}

/** The broker's GA licence and SUMMIT appointment, so cases pass the licensing gate instead of waiting in LICENSING_HOLD. */
export async function seedBroker(databaseUrl: string): Promise<void> {
  const db = createDb(databaseUrl, 1);
  try {
    const broker = await db.broker.upsert({
      where: { npn: BROKER.npn },
      create: { npn: BROKER.npn, name: example.broker.name, email: example.broker.email },
      update: {},
    });
    await db.brokerLicense.upsert({
      where: { brokerId_state: { brokerId: broker.id, state: BROKER.state } },
      create: { brokerId: broker.id, state: BROKER.state, licenseNumber: `LIC-${BROKER.npn}`, expiresOn: new Date('2099-12-31T00:00:00Z') },
      update: {},
    });
    await db.brokerAppointment.upsert({
      where: { brokerId_carrierCode: { brokerId: broker.id, carrierCode: BROKER.carrier } },
      create: { brokerId: broker.id, carrierCode: BROKER.carrier, appointedOn: new Date('2024-01-02T00:00:00Z'), recordedBy: 'bench seed' },
      update: {},
    });
  } finally {
    await db.$disconnect();
  }
}
