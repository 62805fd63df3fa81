-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Broker" (
    "id" TEXT NOT NULL,
    "npn" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "agency" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Broker_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BrokerLicense" (
    "id" TEXT NOT NULL,
    "brokerId" TEXT NOT NULL,
    "state" CHAR(2) NOT NULL,
    "licenseNumber" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "expiresOn" DATE NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BrokerLicense_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BrokerAppointment" (
    "id" TEXT NOT NULL,
    "brokerId" TEXT NOT NULL,
    "carrierCode" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "appointedOn" DATE NOT NULL,
    "recordedBy" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BrokerAppointment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Case" (
    "id" TEXT NOT NULL,
    "carrierCode" TEXT NOT NULL,
    "applicationNumber" TEXT NOT NULL,
    "productType" TEXT NOT NULL,
    "plan" TEXT NOT NULL,
    "faceAmount" DECIMAL(14,2) NOT NULL,
    "stateOfSigning" CHAR(2) NOT NULL,
    "brokerId" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "outcome" TEXT,
    "outcomeReason" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "stageEnteredAt" TIMESTAMP(3) NOT NULL,
    "lastActivityAt" TIMESTAMP(3) NOT NULL,
    "closedAt" TIMESTAMP(3),
    "application" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Case_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Party" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "fullName" TEXT NOT NULL,
    "dateOfBirth" DATE,
    "email" TEXT,

    CONSTRAINT "Party_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Requirement" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "fulfiller" TEXT NOT NULL,
    "vendorCode" TEXT,
    "source" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "requestedAt" TIMESTAMP(3) NOT NULL,
    "statusAt" TIMESTAMP(3) NOT NULL,
    "fulfilledAt" TIMESTAMP(3),
    "providerOrderNumber" TEXT,
    "carrierOrderNumber" TEXT,
    "nextFollowUpOn" DATE,
    "followUpCount" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Requirement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RequirementEvent" (
    "id" TEXT NOT NULL,
    "requirementId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "actor" TEXT NOT NULL,
    "note" TEXT,

    CONSTRAINT "RequirementEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaseEvent" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "description" TEXT NOT NULL,
    "data" JSONB,

    CONSTRAINT "CaseEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StageVisit" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "enteredAt" TIMESTAMP(3) NOT NULL,
    "leftAt" TIMESTAMP(3),

    CONSTRAINT "StageVisit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EmailMessage" (
    "id" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "caseId" TEXT,
    "template" TEXT NOT NULL,
    "to" TEXT NOT NULL,
    "cc" TEXT,
    "subject" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "html" TEXT NOT NULL,
    "attachments" JSONB,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "messageId" TEXT NOT NULL,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "EmailMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Broker_npn_key" ON "Broker"("npn");

-- CreateIndex
CREATE UNIQUE INDEX "BrokerLicense_brokerId_state_key" ON "BrokerLicense"("brokerId", "state");

-- CreateIndex
CREATE UNIQUE INDEX "BrokerAppointment_brokerId_carrierCode_key" ON "BrokerAppointment"("brokerId", "carrierCode");

-- CreateIndex
CREATE INDEX "Case_stage_idx" ON "Case"("stage");

-- CreateIndex
CREATE INDEX "Case_brokerId_idx" ON "Case"("brokerId");

-- CreateIndex
CREATE UNIQUE INDEX "Case_carrierCode_applicationNumber_key" ON "Case"("carrierCode", "applicationNumber");

-- CreateIndex
CREATE UNIQUE INDEX "Party_caseId_role_key" ON "Party"("caseId", "role");

-- CreateIndex
CREATE INDEX "Requirement_code_status_idx" ON "Requirement"("code", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Requirement_caseId_key_key" ON "Requirement"("caseId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "CaseEvent_caseId_seq_key" ON "CaseEvent"("caseId", "seq");

-- CreateIndex
CREATE INDEX "StageVisit_stage_idx" ON "StageVisit"("stage");

-- CreateIndex
CREATE UNIQUE INDEX "EmailMessage_idempotencyKey_key" ON "EmailMessage"("idempotencyKey");

-- CreateIndex
CREATE INDEX "EmailMessage_caseId_idx" ON "EmailMessage"("caseId");

-- AddForeignKey
ALTER TABLE "BrokerLicense" ADD CONSTRAINT "BrokerLicense_brokerId_fkey" FOREIGN KEY ("brokerId") REFERENCES "Broker"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BrokerAppointment" ADD CONSTRAINT "BrokerAppointment_brokerId_fkey" FOREIGN KEY ("brokerId") REFERENCES "Broker"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Case" ADD CONSTRAINT "Case_brokerId_fkey" FOREIGN KEY ("brokerId") REFERENCES "Broker"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Party" ADD CONSTRAINT "Party_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Requirement" ADD CONSTRAINT "Requirement_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RequirementEvent" ADD CONSTRAINT "RequirementEvent_requirementId_fkey" FOREIGN KEY ("requirementId") REFERENCES "Requirement"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseEvent" ADD CONSTRAINT "CaseEvent_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StageVisit" ADD CONSTRAINT "StageVisit_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EmailMessage" ADD CONSTRAINT "EmailMessage_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE SET NULL ON UPDATE CASCADE;
