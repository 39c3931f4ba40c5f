/**
 * The CrossGuard policy pack: `pulumi preview --policy-pack policies`.
 * The same policies run over the offline plan (plan/policyPass.ts).
 */
import { PolicyPack } from "@pulumi/policy";
import { POLICIES } from "./pack";

new PolicyPack("monitoring-stack", {
  description: "Keeps monitoring honest: alerts reach people, critical services page, checks and SLOs are sane, data is kept.",
  policies: [...POLICIES],
});
