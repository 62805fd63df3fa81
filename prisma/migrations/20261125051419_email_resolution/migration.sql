-- AlterTable
ALTER TABLE "EmailMessage" ADD COLUMN     "resolution" TEXT,
ADD COLUMN     "resolutionNote" TEXT,
ADD COLUMN     "resolvedAt" TIMESTAMP(3),
ADD COLUMN     "resolvedBy" TEXT;

-- CreateIndex
CREATE INDEX "EmailMessage_status_idx" ON "EmailMessage"("status");
