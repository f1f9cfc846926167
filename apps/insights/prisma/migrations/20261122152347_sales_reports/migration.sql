-- CreateEnum
CREATE TYPE "insights"."opportunity_status" AS ENUM ('open', 'won', 'lost');

-- CreateTable
CREATE TABLE "insights"."sales_opportunity" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "pipeline_id" TEXT NOT NULL,
    "stage_id" TEXT NOT NULL,
    "status" "insights"."opportunity_status" NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "probability" INTEGER NOT NULL,
    "expected_close_date" DATE NOT NULL,
    "owner_id" TEXT NOT NULL,
    "team_id" TEXT,
    "lead_id" TEXT,
    "campaign_id" TEXT,
    "channel" TEXT,
    "lost_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "won_at" TIMESTAMPTZ(3),
    "lost_at" TIMESTAMPTZ(3),
    "visits" INTEGER NOT NULL,
    "last_event_position" BIGINT NOT NULL,

    CONSTRAINT "sales_opportunity_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "insights"."sales_stage_visit" (
    "tenant_id" TEXT NOT NULL,
    "opportunity_id" TEXT NOT NULL,
    "visit" INTEGER NOT NULL,
    "stage_id" TEXT NOT NULL,
    "entered_at" TIMESTAMPTZ(3) NOT NULL,
    "left_at" TIMESTAMPTZ(3),

    CONSTRAINT "sales_stage_visit_pkey" PRIMARY KEY ("tenant_id","opportunity_id","visit")
);

-- CreateTable
CREATE TABLE "insights"."sales_pipeline" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "stages" JSONB NOT NULL,
    "defined_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sales_pipeline_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "insights"."sales_team" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "manager_id" TEXT NOT NULL,
    "defined_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sales_team_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "insights"."sales_team_member" (
    "tenant_id" TEXT NOT NULL,
    "team_id" TEXT NOT NULL,
    "member_id" TEXT NOT NULL,

    CONSTRAINT "sales_team_member_pkey" PRIMARY KEY ("tenant_id","team_id","member_id")
);

-- CreateTable
CREATE TABLE "insights"."sales_target" (
    "tenant_id" TEXT NOT NULL,
    "scope_kind" TEXT NOT NULL,
    "scope_id" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "target_id" TEXT NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "set_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sales_target_pkey" PRIMARY KEY ("tenant_id","scope_kind","scope_id","period")
);

-- CreateTable
CREATE TABLE "insights"."sales_activity" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "actor_id" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "opportunity_id" TEXT,
    "account_id" TEXT,

    CONSTRAINT "sales_activity_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "insights"."sales_settings" (
    "tenant_id" TEXT NOT NULL,
    "default_currency" TEXT NOT NULL,
    "version" INTEGER NOT NULL,

    CONSTRAINT "sales_settings_pkey" PRIMARY KEY ("tenant_id")
);

-- CreateIndex
CREATE INDEX "sales_opportunity_tenant_id_status_expected_close_date_idx" ON "insights"."sales_opportunity"("tenant_id", "status", "expected_close_date");

-- CreateIndex
CREATE INDEX "sales_opportunity_tenant_id_pipeline_id_created_at_idx" ON "insights"."sales_opportunity"("tenant_id", "pipeline_id", "created_at");

-- CreateIndex
CREATE INDEX "sales_opportunity_tenant_id_won_at_idx" ON "insights"."sales_opportunity"("tenant_id", "won_at");

-- CreateIndex
CREATE INDEX "sales_opportunity_tenant_id_lost_at_idx" ON "insights"."sales_opportunity"("tenant_id", "lost_at");

-- CreateIndex
CREATE INDEX "sales_opportunity_tenant_id_owner_id_idx" ON "insights"."sales_opportunity"("tenant_id", "owner_id");

-- CreateIndex
CREATE INDEX "sales_stage_visit_tenant_id_stage_id_idx" ON "insights"."sales_stage_visit"("tenant_id", "stage_id");

-- CreateIndex
CREATE INDEX "sales_team_member_tenant_id_member_id_idx" ON "insights"."sales_team_member"("tenant_id", "member_id");

-- CreateIndex
CREATE INDEX "sales_target_tenant_id_period_idx" ON "insights"."sales_target"("tenant_id", "period");

-- CreateIndex
CREATE INDEX "sales_activity_tenant_id_occurred_at_idx" ON "insights"."sales_activity"("tenant_id", "occurred_at");
