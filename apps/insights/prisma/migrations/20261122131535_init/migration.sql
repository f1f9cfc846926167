-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "insights";

-- CreateEnum
CREATE TYPE "insights"."lead_status" AS ENUM ('captured', 'qualified', 'disqualified', 'converted');

-- CreateTable
CREATE TABLE "insights"."lead" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "company" TEXT,
    "email" TEXT,
    "phone" TEXT,
    "channel" TEXT NOT NULL,
    "utm_source" TEXT,
    "utm_medium" TEXT,
    "utm_campaign" TEXT,
    "utm_term" TEXT,
    "utm_content" TEXT,
    "status" "insights"."lead_status" NOT NULL,
    "disqualify_reason" TEXT,
    "account_id" TEXT,
    "contact_id" TEXT,
    "opportunity_id" TEXT,
    "captured_at" TIMESTAMPTZ(3) NOT NULL,
    "qualified_at" TIMESTAMPTZ(3),
    "disqualified_at" TIMESTAMPTZ(3),
    "converted_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "last_event_position" BIGINT NOT NULL,

    CONSTRAINT "lead_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "insights"."projection_checkpoint" (
    "projection" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "position" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "projection_checkpoint_pkey" PRIMARY KEY ("projection","source")
);

-- CreateIndex
CREATE INDEX "lead_tenant_id_status_idx" ON "insights"."lead"("tenant_id", "status");

-- CreateIndex
CREATE INDEX "lead_tenant_id_captured_at_id_idx" ON "insights"."lead"("tenant_id", "captured_at", "id");
