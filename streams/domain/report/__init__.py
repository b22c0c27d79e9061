"""The status report a committee reads ("Status på digitalisering og kanalstrategi"), as a pure model.

`model.build_status_report` turns day buckets into a StatusReport: key figures against the
earlier period and a reference (`figures`), channel mix, trend and per-unit tables
(`sections`), targets judged over the period (`goals`), and findings by documented rules
(`findings`). Periods and counting weeks are in `periods`, the report's inputs (units, names,
reference) in `inputs`. Renderers live in streams/generators/status/.
"""
