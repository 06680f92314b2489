import { hashPassword } from "../server/auth/passwords.js";
import { iceWithKey } from "../server/domain/ice.js";
import { Op, type Sequelize } from "sequelize";
import { SYSTEM_ACTOR } from "../server/commands/actor.js";
import { createApplication } from "../server/commands/applications.js";
import { localDate } from "../server/domain/calendar.js";
import {
  Application,
  Call,
  Company,
  Enrolment,
  Mandate,
  Solution,
  TrainingSession,
  User,
  type Role,
} from "../server/models/index.js";

export const DEMO_PASSWORD = "Demo-2026!";

interface DemoAccount {
  email: string;
  role: Role;
  fullName: string;
  phone: string;
  prescriber?: { kind: "accountant"; registrationNumber: string; organisation: string };
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { email: "admin@demo.ma", role: "admin", fullName: "Nadia Bennani", phone: "+212537000001" },
  { email: "officer1@demo.ma", role: "officer", fullName: "Youssef El Amrani", phone: "+212537000002" },
  { email: "officer2@demo.ma", role: "officer", fullName: "Salma Idrissi", phone: "+212537000003" },
  { email: "trainer@demo.ma", role: "trainer", fullName: "Karim Tazi", phone: "+212537000004" },
  { email: "applicant@demo.ma", role: "applicant", fullName: "Fatima Zahra Alaoui", phone: "+212661000005" },
  {
    email: "prescriber@demo.ma",
    role: "prescriber",
    fullName: "Omar Berrada",
    phone: "+212661000006",
    prescriber: { kind: "accountant", registrationNumber: "OEC-CASA-1287", organisation: "Cabinet Berrada Expertise" },
  },
];

/**
 * Development only: one verified account per role, all with the documented demo password.
 * Accounts that already exist are left as they are.
 */
export async function seedDemoAccounts(
  sequelize: Sequelize,
  now: Date,
): Promise<Array<{ role: Role; email: string; password: string }>> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await sequelize.transaction(async (transaction) => {
    for (const account of DEMO_ACCOUNTS) {
      await User.findOrCreate({
        where: { email: account.email },
        defaults: {
          role: account.role,
          fullName: account.fullName,
          email: account.email,
          phone: account.phone,
          locale: "fr",
          passwordHash,
          emailVerifiedAt: now,
          disabledAt: null,
          prescriberKind: account.prescriber?.kind ?? null,
          prescriberRegistrationNumber: account.prescriber?.registrationNumber ?? null,
          prescriberOrganisation: account.prescriber?.organisation ?? null,
          nationalIdEncrypted: null,
          lastLoginAt: null,
        },
        transaction,
      });
    }
  });
  await seedDemoCompany(sequelize);
  await seedDemoDraft(sequelize, now);
  await seedDemoTraining(sequelize, now);
  return DEMO_ACCOUNTS.map((account) => ({ role: account.role, email: account.email, password: DEMO_PASSWORD }));
}

export const DEMO_COMPANY_ICE = iceWithKey("0015283940000");

/** The demo applicant's company, with a mandate for the demo prescriber. */
async function seedDemoCompany(sequelize: Sequelize): Promise<void> {
  await sequelize.transaction(async (transaction) => {
    const owner = await User.findOne({ where: { email: "applicant@demo.ma" }, transaction });
    const prescriber = await User.findOne({ where: { email: "prescriber@demo.ma" }, transaction });
    if (!owner || !prescriber) return;
    const [company, created] = await Company.findOrCreate({
      where: { ice: DEMO_COMPANY_ICE },
      defaults: {
        ice: DEMO_COMPANY_ICE,
        name: "Atelier Nour Textile SARL",
        legalForm: "SARL",
        rcNumber: "348211",
        rcCourt: "Tribunal de commerce de Casablanca",
        ifNumber: "40212876",
        cnssNumber: "8812345",
        sectorCode: "textile-habillement",
        regionCode: "casablanca-settat",
        city: "Casablanca",
        address: "Zone industrielle Sidi Bernoussi, lot 42",
        foundedOn: "2016-04-12",
        employees: 38,
        annualTurnover: "6800000.00",
        ownerId: owner.id,
        managerName: owner.fullName,
        managerEmail: owner.email,
        createdBy: owner.id,
      },
      transaction,
    });
    if (!created) return;
    await Mandate.create(
      {
        companyId: company.id,
        prescriberId: prescriber.id,
        grantedBy: owner.id,
        source: "owner-grant",
        expiresOn: null,
        revokedAt: null,
        revokedBy: null,
      },
      { transaction },
    );
  });
}

/**
 * A draft application of the demo company in the open call, with two investment lines and no
 * documents yet: the wizard and the eligibility checklist have something to show at once.
 */
async function seedDemoDraft(sequelize: Sequelize, now: Date): Promise<void> {
  const company = await Company.findOne({ where: { ice: DEMO_COMPANY_ICE } });
  const owner = await User.findOne({ where: { email: "applicant@demo.ma" } });
  if (!company || !owner) return;
  if ((await Application.count({ where: { companyId: company.id } })) > 0) return;
  const today = localDate(now);
  const call = await Call.findOne({
    where: { opensOn: { [Op.lte]: today }, closesOn: { [Op.gte]: today } },
    order: [["opensOn", "DESC"]],
  });
  if (!call) return;
  const solution = await Solution.findOne({
    where: { sectorCode: company.sectorCode, active: true },
    order: [["code", "ASC"]],
  });
  await createApplication(
    { sequelize, clock: { now: () => now } },
    {
      companyId: company.id,
      callId: call.id,
      sectorCode: company.sectorCode,
      solutionIds: solution ? [solution.id] : [],
      description:
        "Informatiser la planification de la production et le suivi des commandes de l'atelier (38 salariés), " +
        "aujourd'hui tenus sur papier et tableur.",
      lines: [
        {
          category: "software",
          label: "Progiciel de gestion de production textile (licence 3 ans)",
          supplierId: solution?.supplierId ?? null,
          amountExclTax: "180000.00",
          vatRate: "0.20",
        },
        {
          category: "services",
          label: "Paramétrage, reprise des données et formation des équipes",
          supplierId: solution?.supplierId ?? null,
          amountExclTax: "45000.00",
          vatRate: "0.20",
        },
      ],
    },
    { user: owner, actor: { ...SYSTEM_ACTOR, userId: owner.id, role: owner.role }, mandate: null },
  );
}

/** "2026-07-01" + "09:00" in Moroccan time (UTC+1 outside Ramadan, close enough for demo data). */
function moroccanInstant(day: string, time: string): Date {
  return new Date(`${day}T${time}:00+01:00`);
}

function dayAfter(now: Date, days: number): string {
  return localDate(new Date(now.getTime() + days * 24 * 60 * 60 * 1000));
}

/**
 * Course sessions of the demo trainer: three ahead (in person and online) to enrol in, and one
 * held yesterday where the demo manager passed, so the trainer can issue a Permis Numérique.
 */
async function seedDemoTraining(sequelize: Sequelize, now: Date): Promise<void> {
  const trainer = await User.findOne({ where: { email: "trainer@demo.ma" } });
  const manager = await User.findOne({ where: { email: "applicant@demo.ma" } });
  const company = await Company.findOne({ where: { ice: DEMO_COMPANY_ICE } });
  if (!trainer || !manager || (await TrainingSession.count({ where: { trainerId: trainer.id } })) > 0) return;
  const sessions = [
    {
      title: "Initiation au numérique pour dirigeants de PME",
      city: "Casablanca",
      venue: "Chambre de Commerce, d'Industrie et de Services, 98 boulevard Mohammed V",
      onlineUrl: null,
      day: dayAfter(now, 7),
      capacity: 20,
    },
    {
      title: "Initiation au numérique : gestion, facturation et relation client",
      city: "Fès",
      venue: "Centre régional d'investissement Fès-Meknès, avenue Allal El Fassi",
      onlineUrl: null,
      day: dayAfter(now, 14),
      capacity: 15,
    },
    {
      title: "Initiation au numérique (à distance)",
      city: "En ligne",
      venue: null,
      onlineUrl: "https://visio.moussanada.ma/permis-numerique",
      day: dayAfter(now, 10),
      capacity: 30,
    },
    {
      title: "Initiation au numérique pour dirigeants de PME",
      city: "Rabat",
      venue: "Maison de l'entreprise, avenue Annakhil, Hay Riad",
      onlineUrl: null,
      day: dayAfter(now, -1),
      capacity: 20,
    },
  ];
  await sequelize.transaction(async (transaction) => {
    for (const session of sessions) {
      const created = await TrainingSession.create(
        {
          title: session.title,
          description:
            "Une journée pour prendre en main les outils numériques utiles à une PME : messagerie et agenda, " +
            "facturation et comptabilité, présence en ligne, sécurité des données. Évaluation en fin de journée.",
          city: session.city,
          venue: session.venue,
          onlineUrl: session.onlineUrl,
          startsAt: moroccanInstant(session.day, "09:00"),
          endsAt: moroccanInstant(session.day, "17:00"),
          capacity: session.capacity,
          trainerId: trainer.id,
          createdBy: trainer.id,
        },
        { transaction },
      );
      if (session.day >= localDate(now)) continue;
      await Enrolment.create(
        {
          sessionId: created.id,
          userId: manager.id,
          companyId: company?.id ?? null,
          holderName: manager.fullName,
          holderEmail: manager.email,
          enrolledBy: manager.id,
          status: "passed",
          attended: true,
          score: 85,
          resultRecordedBy: trainer.id,
          resultRecordedAt: now,
          reminderSentAt: null,
          cancelledAt: null,
        },
        { transaction },
      );
    }
  });
}
