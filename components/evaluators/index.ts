/**
 * The evaluators, one builder each: a new evaluator is a folder beside these
 * and one line here (and its traits in model/evaluators.ts). The record's
 * type makes a missing builder a compile error.
 */
import type { Evaluator } from "../../model/types";
import { cloudMonitoringEvaluator } from "./cloudMonitoring";
import { grafanaEvaluator } from "./grafana";
import { prometheusEvaluator } from "./prometheus";
import type { EvaluatorBuilder } from "./types";

export const EVALUATOR_BUILDERS: Readonly<Record<Evaluator, EvaluatorBuilder>> = {
  cloudMonitoring: cloudMonitoringEvaluator,
  prometheus: prometheusEvaluator,
  grafana: grafanaEvaluator,
};

/** The builders in a fixed order: what they render and create comes out in this order. */
export const evaluatorBuilders = (): EvaluatorBuilder[] => Object.values(EVALUATOR_BUILDERS);
