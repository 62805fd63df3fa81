-- AlterTable
ALTER TABLE "Broker" ADD COLUMN     "residentState" CHAR(2);

-- CreateTable
CREATE TABLE "BrokerEoCertificate" (
    "id" TEXT NOT NULL,
    "brokerId" TEXT NOT NULL,
    "insurer" TEXT NOT NULL,
    "limitDollars" INTEGER NOT NULL,
    "expiresOn" DATE NOT NULL,
    "lapsed" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BrokerEoCertificate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContractingRequest" (
    "id" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "brokerId" TEXT NOT NULL,
    "carrierCode" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "waitingOn" TEXT,
    "missing" JSONB NOT NULL,
    "caseIds" TEXT[],
    "openedAt" TIMESTAMP(3) NOT NULL,
    "stageEnteredAt" TIMESTAMP(3) NOT NULL,
    "appointedOn" DATE,
    "closedAt" TIMESTAMP(3),
    "outcomeReason" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ContractingRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContractingEvent" (
    "id" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "description" TEXT NOT NULL,

    CONSTRAINT "ContractingEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "BrokerEoCertificate_brokerId_key" ON "BrokerEoCertificate"("brokerId");

-- CreateIndex
CREATE INDEX "ContractingRequest_brokerId_idx" ON "ContractingRequest"("brokerId");

-- CreateIndex
CREATE INDEX "ContractingRequest_stage_idx" ON "ContractingRequest"("stage");

-- CreateIndex
CREATE UNIQUE INDEX "ContractingEvent_requestId_seq_key" ON "ContractingEvent"("requestId", "seq");

-- AddForeignKey
ALTER TABLE "BrokerEoCertificate" ADD CONSTRAINT "BrokerEoCertificate_brokerId_fkey" FOREIGN KEY ("brokerId") REFERENCES "Broker"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContractingRequest" ADD CONSTRAINT "ContractingRequest_brokerId_fkey" FOREIGN KEY ("brokerId") REFERENCES "Broker"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContractingEvent" ADD CONSTRAINT "ContractingEvent_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "ContractingRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;
