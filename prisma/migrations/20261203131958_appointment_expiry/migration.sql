-- AlterTable
ALTER TABLE "BrokerAppointment" ADD COLUMN     "expiresOn" DATE;
