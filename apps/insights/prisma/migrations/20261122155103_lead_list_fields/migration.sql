-- AlterTable
ALTER TABLE "insights"."lead" ADD COLUMN     "campaign_id" TEXT,
ADD COLUMN     "form_id" TEXT,
ADD COLUMN     "hot" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "industry" TEXT,
ADD COLUMN     "last_activity_at" TIMESTAMPTZ(3),
ADD COLUMN     "owner_id" TEXT,
ADD COLUMN     "referrer" TEXT,
ADD COLUMN     "region" TEXT,
ADD COLUMN     "score" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "lead_tenant_id_score_captured_at_id_idx" ON "insights"."lead"("tenant_id", "score", "captured_at", "id");

-- CreateIndex
CREATE INDEX "lead_tenant_id_owner_id_idx" ON "insights"."lead"("tenant_id", "owner_id");
