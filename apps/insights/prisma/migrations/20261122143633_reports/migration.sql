-- CreateTable
CREATE TABLE "insights"."lead_funnel_fact" (
    "tenant_id" TEXT NOT NULL,
    "lead_id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "utm_source" TEXT,
    "campaign_id" TEXT,
    "captured_at" TIMESTAMPTZ(3) NOT NULL,
    "qualified_at" TIMESTAMPTZ(3),
    "disqualified_at" TIMESTAMPTZ(3),
    "converted_at" TIMESTAMPTZ(3),
    "last_event_position" BIGINT NOT NULL,

    CONSTRAINT "lead_funnel_fact_pkey" PRIMARY KEY ("tenant_id","lead_id")
);

-- CreateTable
CREATE TABLE "insights"."lead_touch" (
    "tenant_id" TEXT NOT NULL,
    "lead_id" TEXT NOT NULL,
    "touchpoint_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "campaign_id" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "lead_touch_pkey" PRIMARY KEY ("tenant_id","lead_id","touchpoint_id")
);

-- CreateTable
CREATE TABLE "insights"."campaign" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "budget_minor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "starts_on" DATE NOT NULL,
    "ends_on" DATE NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "last_event_position" BIGINT NOT NULL,

    CONSTRAINT "campaign_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "insights"."campaign_cost" (
    "tenant_id" TEXT NOT NULL,
    "campaign_id" TEXT NOT NULL,
    "cost_entry_id" TEXT NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "incurred_on" DATE NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "campaign_cost_pkey" PRIMARY KEY ("tenant_id","campaign_id","cost_entry_id")
);

-- CreateTable
CREATE TABLE "insights"."campaign_variant_engagement" (
    "tenant_id" TEXT NOT NULL,
    "campaign_id" TEXT NOT NULL,
    "variant" TEXT NOT NULL,
    "weight" INTEGER,
    "sent" INTEGER NOT NULL DEFAULT 0,
    "opened" INTEGER NOT NULL DEFAULT 0,
    "clicked" INTEGER NOT NULL DEFAULT 0,
    "converted" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "campaign_variant_engagement_pkey" PRIMARY KEY ("tenant_id","campaign_id","variant")
);

-- CreateTable
CREATE TABLE "insights"."won_deal" (
    "tenant_id" TEXT NOT NULL,
    "deal_id" TEXT NOT NULL,
    "lead_id" TEXT,
    "amount_minor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "won_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "won_deal_pkey" PRIMARY KEY ("tenant_id","deal_id")
);

-- CreateIndex
CREATE INDEX "lead_funnel_fact_tenant_id_captured_at_idx" ON "insights"."lead_funnel_fact"("tenant_id", "captured_at");

-- CreateIndex
CREATE INDEX "lead_funnel_fact_tenant_id_campaign_id_idx" ON "insights"."lead_funnel_fact"("tenant_id", "campaign_id");

-- CreateIndex
CREATE INDEX "lead_touch_tenant_id_campaign_id_idx" ON "insights"."lead_touch"("tenant_id", "campaign_id");

-- CreateIndex
CREATE INDEX "won_deal_tenant_id_won_at_idx" ON "insights"."won_deal"("tenant_id", "won_at");

-- CreateIndex
CREATE INDEX "won_deal_tenant_id_lead_id_idx" ON "insights"."won_deal"("tenant_id", "lead_id");
