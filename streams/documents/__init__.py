"""Every input document read in one place: bounded reading, parse, validate, map to frozen domain values.

- `reading`: `read_document(path, kind, *, as_text=False, limits=LIMITS)`, the one bounded reader
  (regular files only, size, values with aliases expanded, depth, time, no NaN/inf); for a document
  parsed twice, `read_text(path, kind)` then `parse_yaml(text, name, *, as_text=False)`; `DocumentError`.
- `problems`: `field_path`, `field_name`, `excerpt`, `one_line`: problems in words that quote no
  more of a file than a short, redacted excerpt.
- `validation`: `schema_problems(schema_name, data, *, quote=True)` against a schema in `schemas/`.
- `shipped`: where the package's own files are (`schema(name)`, target, reference and profile files).
- `reference`: the shipped tables as values read once: `code_table()`, `municipality_table()`,
  `event_contract()`, `channel_prices()`, `measure_book()`.
- one module per kind of document: `settings` (`load_settings`), `targets` (`load_target_file(s)`),
  `report_inputs` (`load_units`, `load_reference`), `tokens` (`load_tokens`), `profiles`
  (`load_profile`, `load_national_profile`), `source_mappings` (`load_mapping`, `load_definition`).
"""
