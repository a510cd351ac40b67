"""`mmlint test`: promtool's rule unit-test files, run offline with promtool 2.42's verdicts (or 3.x's with
`--compat=3`). The file becomes a typed model (model, series), the rule groups are stepped as Prometheus
steps them (rules_eval, alerts), results are compared (compare) and reported as promtool words them
(render) or as JUnit XML (junit)."""
