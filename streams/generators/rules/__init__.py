"""Prometheus rule files generated from target files: model → builders over tables → one writer.

Per target file, one group holds each target's recording rules and alerts (targets.py). One
operations file holds the pipeline alerts, a table of rows, and the Copenhagen active-hours
recording rules (operations.py). writer.py renders and writes them.
"""

from streams.generators.rules.model import ActiveHours, Rule, RuleFile, RuleSettings, duration, rule_settings
from streams.generators.rules.operations import OPERATIONS_ALERTS, OPERATIONS_FILE, Alert, operations_rule_file
from streams.generators.rules.targets import deadline_timestamp, target_rule_file, target_rules
from streams.generators.rules.writer import dump_yaml, generate_rule_files, groups, render, rule_files

__all__ = [
    "OPERATIONS_ALERTS",
    "OPERATIONS_FILE",
    "ActiveHours",
    "Alert",
    "Rule",
    "RuleFile",
    "RuleSettings",
    "deadline_timestamp",
    "dump_yaml",
    "duration",
    "generate_rule_files",
    "groups",
    "operations_rule_file",
    "render",
    "rule_files",
    "rule_settings",
    "target_rule_file",
    "target_rules",
]
