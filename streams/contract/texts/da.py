"""The command's lines in Danish (the default). The same keys as en.py; a pair is (one, many) by `n`."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from streams.contract.danish import WHOLE_MUNICIPALITY_DA, WINDOW_NAMES_DA

TEXTS: Mapping[str, str | tuple[str, str]] = MappingProxyType(
    {
        # ---- the command itself
        "usage.error": "{prog}: {message} (se {prog} --help)",
        "language.unknown": "KOMHEN_LANGUAGE={value} kan ikke bruges; vælg da eller en",
        "command.interrupted": "{command}: afbrudt",
        "command.bug": (
            "{command}: uventet fejl ({error}); kør kommandoen igen med KOMHEN_DEBUG=1 for detaljerne, "
            "og meld venligst fejlen"
        ),
        "argparse.required": "disse argumenter mangler: %s",
        "argparse.unrecognized": "ukendte argumenter: %s",
        "argparse.argument": "argumentet %(argument_name)s: %(message)s",
        "argparse.choice": "ugyldigt valg: %(value)r (vælg mellem %(choices)s)",
        "argparse.one": "mangler en værdi",
        "argparse.at_least_one": "mangler mindst én værdi",
        "argparse.at_most_one": "tager højst én værdi",
        "argparse.invalid": "ugyldig værdi: %(value)r",
        "argparse.ambiguous": "flertydigt flag: %(option)s kan være %(matches)s",
        "argparse.not_allowed_with": "kan ikke bruges sammen med %s",
        "argparse.one_of": "et af disse argumenter skal med: %s",
        # ---- the flags' types
        "type.not_a_number": "{value!r} er ikke et tal",
        "type.not_finite": "{value!r} er ikke et endeligt tal",
        "type.not_whole": "{value!r} er ikke et helt tal",
        "type.not_a_port": "{value!r} er ikke et portnummer (1-65535)",
        "type.not_a_date": "{value!r} er ikke en dato ÅÅÅÅ-MM-DD, fx 2015-11-02",
        "type.not_key_value": "{value!r} er ikke NØGLE=VÆRDI (fx release=kube-prometheus-stack)",
        # ---- Kafka
        "kafka.not_set": (
            "KAFKA_BOOTSTRAP_SERVERS er ikke sat; peg den på jeres Kafka (fx KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092), "
            "eller kør `komhen demo`, som starter sin egen broker"
        ),
        "kafka.not_set_dry_run": (
            "KAFKA_BOOTSTRAP_SERVERS er ikke sat; peg den på jeres Kafka (fx KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092), "
            "eller prøv først med --dry-run"
        ),
        "kafka.not_set_ingest": (
            "KAFKA_BOOTSTRAP_SERVERS er ikke sat; peg den på jeres Kafka (fx KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092)"
        ),
        "kafka.unavailable": (
            "ingen Kafka svarer på {servers} (KAFKA_BOOTSTRAP_SERVERS): start Kafka, eller tjek adressen og porten"
        ),
        "publish.unreachable": "Kafka på {servers} svarer ikke ({why})",
        "publish.refused": "Kafka tog ikke imod hændelser til emnet {topic} ({why})",
        "publish.unconfirmed": "Kafka bekræftede ikke levering til emnet {topic} ({why})",
        "kafka.unconfirmed_publish": ("{error}. Send {path} igen: hændelser, der allerede er talt, tælles kun én gang"),
        "kafka.unconfirmed_import": (
            "{error}. Kør den samme import igen: rækker, der allerede er talt, tælles kun én gang"
        ),
        # ---- why the system refused a path
        "reason.permission": "ingen adgang",
        "reason.read_only": "skrivebeskyttet",
        "reason.full": "disken er fuld",
        "reason.missing": "findes ikke",
        "reason.cannot_create": "der kan ikke oprettes filer der",
        "kind.fifo": "en FIFO (navngivet rør)",
        "kind.character_device": "en tegnenhed (character device)",
        "kind.block_device": "en blokenhed (block device)",
        "kind.socket": "en socket",
        "kind.special": "ikke en almindelig fil",
        # ---- files and folders to read
        "input.missing": "{path}: filen findes ikke; tjek navnet og mappen",
        "input.unreadable": "{path}: kan ikke læses ({reason}); tjek rettighederne",
        "input.is_folder": "{path}: er en mappe, ikke en fil; angiv filerne i den",
        "input.not_regular": "{path}: er {kind}; angiv en almindelig fil",
        "input.not_regular_stdin": "{path}: er {kind}; angiv en almindelig fil, eller - for standard input",
        "input.folder_missing": "{path}: mappen findes ikke; tjek navnet",
        "input.not_a_folder": "{path}: er en fil, ikke en mappe; angiv mappen",
        "shipped.unknown.targets": (
            "{name}: ingen sådan fil, og ingen medfølgende målfil af det navn; de medfølgende er {names}"
        ),
        "shipped.unknown.reference": (
            "{name}: ingen sådan fil, og ingen reference af det navn; referencerne ved navn er {names}"
        ),
        "shipped.unknown.simulator": (
            "{name}: ingen sådan fil, og ingen medfølgende trafikprofil af det navn; de medfølgende er {names}"
        ),
        "shipped.unknown.sources": (
            "{name}: ingen sådan kilde; angiv en af {names} eller en kildefil (source-mapping, se docs/sources.md)"
        ),
        # ---- files and folders to write
        "output.file_is_folder": "{path}: er en mappe; angiv et filnavn i den, fx {example}",
        "output.no_folder": "{path}: mappen {folder} findes ikke; opret den først, eller vælg en anden mappe",
        "output.not_a_folder": "{path}: {folder} er en fil, ikke en mappe; vælg en anden sti",
        "output.is_file": "{path}: er en fil, ikke en mappe; angiv en mappe at skrive i",
        "output.folder_is_file": "{path}: {file} er en fil, ikke en mappe; angiv en mappe at skrive i",
        "output.cannot_write": "{path}: kan ikke skrives ({reason}); vælg en mappe, du må skrive i",
        "path.refused": "{path}: {reason}; tjek stien og rettighederne",
        # ---- ports
        "port.busy": "port {port} på {host} er optaget af et andet program; vælg en anden med {flag}",
        "port.no_permission": "port {port} på {host} kræver særlige rettigheder; vælg en over 1024 med {flag}",
        "port.no_address": "der kan ikke lyttes på {host}:{port}; tjek adressen, eller vælg en anden port med {flag}",
        # ---- written files
        "output.wrote": "skrev {path}",
        # ---- komhen publish
        "publish.line": "linje {n}",
        "publish.item": "element {n}",
        "publish.array": "JSON-listen",
        "publish.not_utf8": "ikke UTF-8 (byte {byte} på plads {position} i linjen); gem filen som UTF-8",
        "publish.rejected": "{path}: {where}: afvist ({reason}): {detail}",
        "publish.warning": "{path}: {where}: advarsel (talt med): {detail}",
        "publish.summary": (
            "sendte {n} hændelse til {topic}, afviste {rejected}",
            "sendte {n} hændelser til {topic}, afviste {rejected}",
        ),
        "publish.findings": "{warned} beskrivende værdier rettet eller udeladt (hændelserne tæller med)",
        "publish.dates_kept": (
            "datoerne er uændrede (--shift-to-today): den nyeste hændelse er allerede fra i går, {newest}"
        ),
        "publish.dates_moved_forward": (
            "datoerne er flyttet {days} dage frem (--shift-to-today): den nyeste hændelse er nu fra i går, {newest}"
        ),
        "publish.dates_moved_back": (
            "datoerne er flyttet {days} dage tilbage (--shift-to-today): den nyeste hændelse er nu fra i går, {newest}"
        ),
        "publish.old": (
            "bemærk: den nyeste hændelse er fra {newest}, før de seneste 7 dage: 7-dages-vinduerne (7d) viser ikke "
            "disse hændelser, de længere (28d, 365d, ytd) gør, så længe de rækker tilbage til den dag; vil du prøve "
            "et eksempel i dag, så send det med --shift-to-today"
        ),
        # ---- files read as text (streams.ingress.komhen.encoding, the KOMHEN reader)
        "file.not_text": (
            "{path}: er {kind}, ikke en tekstfil; gem den i Excel som CSV (semikolonsepareret) eller Unicode-tekst"
        ),
        "binary.xlsx": "en Excel-projektmappe (.xlsx) eller en anden zip-fil",
        "binary.xls": "en Excel 97-2003-projektmappe (.xls)",
        "binary.pdf": "en PDF",
        "file.not_encoded": (
            "{path}: byte {position} passer ikke til {encoding}, som filens første bytes lover; gem filen igen "
            "i Excel som CSV (semikolonsepareret) eller Unicode-tekst"
        ),
        "file.empty": "{path}: filen er tom",
        "file.header_unreadable": "{where}: overskriften kan ikke læses ({detail}); er det en KOMHEN-eksport?",
        "file.header_lacks": (
            "{where}: overskriften mangler {missing}; forventet er en TraceTool-eksport (Kommune;ID;Enhed;Opgave;"
            "Kanal;…) eller KL's uploadformat (KommuneID;Enhed;KLE Opgave kode;…)"
        ),
        # ---- komhen source
        "source.needs_files": "komhen source skal have FIL-argumenter eller --follow MAPPE",
        "source.needs_mapping": (
            "{system} skal have --mapping FIL: jeres kommune, og hvilken afdeling hver enhedsnøgle hører til "
            "(se docs/sources.md)"
        ),
        "source.following": "følger {folder} og sender nye {source}-filer (Ctrl-C stopper)",
        "source.batch": "{path}: {summary}",
        "source.read": "Læst {records}: {inquiries} og {measures} sendt, {skipped} sprunget over, {rejected} afvist.",
        "source.findings": "{n} beskrivende værdier rettet eller udeladt (henvendelserne tæller med).",
        "source.skipped": "Sprunget over, fordi de ikke er henvendelser: {why}.",
        "source.skip_reason": "{n} × {reason} ({code})",
        "source.skip_code": "{n} × {code}",
        "source.unmapped": (
            "Talt under enheden '{unknown}', fordi {mapping} ikke nævner nøglen: {keys}; tilføj dem under departments."
        ),
        "source.no_unit": (
            "{n} post nævner ingen enhed og er talt under enheden '{unknown}'.",
            "{n} poster nævner ingen enhed og er talt under enheden '{unknown}'.",
        ),
        "source.note": ("Bemærk: {note} ({n} post).", "Bemærk: {note} ({n} poster)."),
        # ---- komhen import
        "import.too_old": (
            "Advarsel: {old} af {total} rækker er ældre end opbevaringstiden på {days} dage (ældste {oldest}) og "
            "sendes ikke, for en worker med vægur (--clock wall) ville afvise dem. Kør workeren og importen med "
            "--clock event (KOMHEN_CLOCK=event) for at tælle gamle tælleuger."
        ),
        "import.rows": "rækker",
        # ---- komhen export
        "export.encoding": "--encoding {value!r} er ikke en tegnkodning; brug latin-1, utf-8 eller utf-8-sig",
        "export.municipality": (
            "--municipality {value!r} er ikke en dansk kommune; angiv dens nummer eller navn, fx 183 eller Ishøj"
        ),
        "export.wrote": "skrev {rows} rækker ({first} til {last})",
        "export.slugs": (
            "{n} enhedsnavne kan ikke skrives i {encoding} og er skrevet som afdelingens kortnavn ({names}); "
            "brug --encoding utf-8 for at bevare dem"
        ),
        # ---- komhen grafana push
        "grafana.no_dashboards": "{folder}: ingen dashboards (*.json) i mappen; kør først `komhen dashboards build`",
        "grafana.folder": "mappe: {outcome}",
        "grafana.datasource": "datakilde {uid}: {outcome}",
        "grafana.dashboard": "dashboard {uid}: {outcome}",
        "grafana.created": "oprettet",
        "grafana.updated": "opdateret",
        "grafana.unchanged": "uændret",
        "grafana.changed": "ændringerne er lavet",
        "grafana.unchanged_all": "intet at ændre: Grafana har allerede disse",
        "grafana.refused_token": (
            "Grafana på {url} afviste tokenet (401 Unauthorized) under forsøget på at {action}: tjek --token (et "
            "service account-token fra denne Grafana)"
        ),
        "grafana.forbidden": (
            "tokenet må ikke {action} (403 Forbidden): giv dets service account rollen Editor (Admin for at oprette "
            "datakilden)"
        ),
        "grafana.answered": (
            "{url} svarede {status} på forsøget på at {action}: tjek --url (Grafanas adresse, med dens understi, "
            "hvis den har en)"
        ),
        "grafana.unreachable": "Grafana på {url} kan ikke nås ({detail}): tjek --url",
        "grafana.not_grafana": "{url} svarer ikke som Grafanas HTTP-API: tjek --url",
        "grafana.list_folders": "liste mapperne",
        "grafana.create_folder": "oprette mappen {name!r}",
        "grafana.rename_folder": "omdøbe mappen {uid}",
        "grafana.read_datasource": "læse datakilden",
        "grafana.create_datasource": "oprette datakilden",
        "grafana.update_datasource": "opdatere datakilden",
        "grafana.read_dashboard": "læse dashboardet {uid}",
        "grafana.save_dashboard": "gemme dashboardet {uid}",
        # ---- komhen kubernetes
        "kubernetes.stdin": "målfiler læses ved navn: workeren får dem fra et ConfigMap",
        # ---- komhen ingest
        "ingest.positive": "{flag} skal være over 0, men er {value}",
        "ingest.source_mapping": "--source {spec}: angiv også mapping-filen, som {name}=MAPPING (se docs/sources.md)",
        "ingest.source_twice": "--source {spec}: kilden {source!r} er angivet to gange",
        # ---- komhen report
        "report.selfservice_head": (
            "Selvbetjening: gennemførte / startede forsøg pr. afdeling og KLE-opgave, {first} – {last}"
        ),
        "selfservice.municipality": "Kommune",
        "selfservice.department": "Afdeling",
        "selfservice.started": "Startet",
        "selfservice.completed": "Gennemført",
        "selfservice.abandoned": "Afbrudt",
        "selfservice.rate": "Andel",
        "selfservice.unit": "Enhed",
        "selfservice.no_kle": "(ingen)",
        "report.period_both": "angiv enten --from/--to eller --counting-weeks, ikke begge",
        "report.period_missing": (
            "angiv perioden: --from ÅÅÅÅ-MM-DD --to ÅÅÅÅ-MM-DD, eller --counting-weeks 2015-W45:W47"
        ),
        "report.baseline_both": "angiv enten --baseline-from/--baseline-to eller --baseline-counting-weeks, ikke begge",
        "report.baseline_pair": "angiv både --baseline-from og --baseline-to",
        "report.period_from_files": (
            "Periode: filernes første til sidste dag med henvendelser fra {municipality}, {dates} "
            "(vælg en anden med --from/--to eller --counting-weeks)"
        ),
        "report.min_inquiries": "--min-inquiries {value}: angiv et helt tal på mindst 1, fx 30",
        "report.municipality": (
            "--municipality {value}: ikke en af de 98 kommuner; angiv dens nummer eller navn, fx 183 eller Ishøj"
        ),
        "report.where_files": "filerne indeholder",
        "report.where_state": "den talte tilstand ({topic}) indeholder",
        "report.no_inquiries": "{where} ingen henvendelser; angiv --municipality NNN for en tom rapport",
        "report.several": "{where} flere kommuner ({found}); vælg en med --municipality",
        "report.national_alone": (
            "--reference {reference} sammenligner med de andre kommuner, men {where} kun {municipality}; angiv en "
            "referencefil eller landsgennemsnit-2013"
        ),
        "report.nothing_anywhere": (
            "Advarsel: ingen henvendelser fra {scope} i perioden {dates}, og ingen i data overhovedet "
            "(data har {held}); rapporten er tom."
        ),
        "report.nothing_in_period": (
            "Advarsel: ingen henvendelser fra {scope} i perioden {dates}; data har kommunens henvendelser fra "
            "{span}. Rapporten er tom."
        ),
        "report.csv_files": "{n} CSV-filer i {folder}",
        "report.written": (
            "Statusrapport for {municipality}, {dates}: {units} enheder, {goals} mål, {findings} fund. Skrev {files}."
        ),
        "report.group_needs_units": "--group {group} kræver --units FIL, filen der definerer gruppen",
        "report.no_such_group": "--group {group}: ingen sådan gruppe i enhedsfilen; grupperne der er {known}",
        "report.overlap": (
            "sammenligningsperioden {comparison} overlapper perioden {period}; vælg en basisperiode før perioden "
            "(--baseline-from/--baseline-to)"
        ),
        "report.no_such_chromium": (
            "--chromium {value}: intet sådant program; angiv stien til Chromium, eller udelad --chromium"
        ),
        "report.no_chromium": (
            "--pdf kræver Chromium, som ikke er installeret: installér det (apt-get install chromium), eller angiv "
            "det med --chromium STI; uden --pdf kræver HTML og CSV intet"
        ),
        "report.print_timeout": "Chromium udskrev ikke {html} inden for {seconds} s; prøv igen",
        "report.print_failed": "Chromium skrev ingen PDF (exit {code}: {detail}); HTML-filen er {html}",
        "report.cannot_create": "{folder}: rapportmappen kan ikke oprettes ({reason}); vælg en anden --output",
        # ---- periods (streams.domain.report.periods)
        "period.reversed": "perioden starter {first}, efter den slutter {last}",
        "period.weeks_format": (
            "tælleugerne {value!r} er ikke ÅR-WNN:WNN; skriv fx 2015-W45:W47 (ISO-uge 45 til 47 i 2015)"
        ),
        "period.weeks_no_week": "tælleugerne {value!r}: {years} har ingen sådan ISO-uge",
        "period.years": "{first} eller {last}",
        "period.weeks_reversed": "tælleugerne {value!r}: den sidste uge ligger før den første",
        # ---- komhen demo
        "demo.broker": "Indbygget broker (Tansu) på {servers}",
        "demo.head": "komhen demo · Kafka {servers} · metrics {metrics} · logs {logs}/",
        "demo.no_simulator": "Ingen simulator (--rate 0). Send jeres egne hændelser fra en anden terminal, fx:",
        "demo.simulating": "Simuleret trafik: {rate} henvendelser/s. Send også jeres egne hændelser, fx:",
        "demo.footer": "Ctrl-C stopper demoen (broker, worker og simulator).",
        "demo.waiting": "Venter på at workeren starter …",
        "demo.worker_stopped": "Workeren stoppede (exit {code}); se {log}",
        "demo.stopping": "Stopper …",
        # ---- the demo's live table (streams.dev.live_table)
        "window.7d": WINDOW_NAMES_DA["7d"],
        "window.28d": WINDOW_NAMES_DA["28d"],
        "window.365d": WINDOW_NAMES_DA["365d"],
        "window.ytd": WINDOW_NAMES_DA["ytd"],
        "table.title": "Kanalfordeling, {window} (andel af samme retning)",
        "table.department": "Afdeling",
        "table.inquiries": "Henv.",
        "table.self_service_in": "Selvbetj.",
        "table.phone_in": "Telefon",
        "table.personal_in": "Personligt",
        "table.letter_in": "Papir ind",
        "table.digital_post_out": "D.Post ud",
        "table.whole_municipality": WHOLE_MUNICIPALITY_DA.capitalize(),
        "table.counted": "Talt siden start: {counted}   Afvist (dead letter): {rejected}",
        "table.before_window": (
            "De talte henvendelser ligger alle før vinduet ({window}). Et eksempel publiceret med --shift-to-today "
            "ender i går og vises her."
        ),
        "table.national_waiting": "Venter på landsoversigten (den eksporteres af workeren med partition 0) …",
        "table.national_waiting_counted": (
            "Venter på landsoversigten (den eksporteres af workeren med partition 0): {counted} henvendelser talt "
            "indtil nu …"
        ),
        "table.place": "Plads",
        "table.municipality": "Kommune",
        "table.national_title": (
            "Selvbetjening, {window}: {municipalities} kommuner, {ranked} rangeret (mindst {minimum} indgående "
            "henvendelser)"
        ),
        "table.national_figures": "Hele landet (summen): {national}   Gennemsnitskommunen: {mean} (median {median})",
        "table.national_counted": "Talt siden start: {counted}",
        "demo.broker_missing": (
            "den indbyggede broker er ikke installeret: pip install 'komhen-live[embedded]', "
            "eller sæt KAFKA_BOOTSTRAP_SERVERS til jeres Kafka"
        ),
        # ---- problems in a document (streams.documents)
        "doc.required": "mangler",
        "doc.unknown_field": "ukendt felt; tilladt er: {allowed}",
        "doc.not_expected": "{value} er ikke {expected}",
        "doc.type": "{value} er ikke {types}",
        "doc.type.string": "en tekst",
        "doc.type.integer": "et helt tal",
        "doc.type.number": "et tal",
        "doc.type.object": "en tabel af felter (nøgle: værdi)",
        "doc.type.array": "en liste",
        "doc.type.boolean": "true eller false",
        "doc.type.null": "null",
        "doc.or": " eller ",
        "doc.enum": "{value} er ikke en af {choices}",
        "doc.const": "skal være {expected}",
        "doc.minimum": "{value} er mindre end mindsteværdien {limit}",
        "doc.maximum": "{value} er større end højsteværdien {limit}",
        "doc.exclusive_minimum": "{value} skal være større end {limit}",
        "doc.exclusive_maximum": "{value} skal være mindre end {limit}",
        "doc.pattern": "{value} passer ikke til mønsteret {pattern}",
        "doc.non_empty": "{value} må ikke være tom",
        "doc.too_short": "{value} er for kort (mindst {limit})",
        "doc.too_few_fields": "{value} har for få felter (mindst {limit})",
        "doc.expected_empty": "{value} skal være tom",
        "doc.too_long": "{value} er for lang (højst {limit})",
        "doc.unique": "{value} har det samme element flere gange",
        "doc.format": "{value} er ikke {format}",
        "doc.format.date": "en dato ÅÅÅÅ-MM-DD",
        "doc.format.date-time": "et tidspunkt med forskydning fra UTC (RFC 3339)",
        "doc.one_of": "{value} passer ikke til nogen af de tilladte former",
        "doc.top_level": "(øverste niveau)",
        "doc.long_name": "<et navn på {n} tegn>",
        "doc.text_of": "en tekst på {n} tegn",
        "doc.list_of": ("en liste med {n} element", "en liste med {n} elementer"),
        "doc.mapping_of": ("en tabel med {n} nøgle", "en tabel med {n} nøgler"),
        "doc.kind.bool": "true eller false",
        "doc.kind.int": "et helt tal",
        "doc.kind.float": "et tal",
        "doc.kind.other": "en værdi",
        "doc.more": ("og {n} problem mere", "og {n} problemer mere"),
        "doc.and_more": " (og {n} til)",
        "doc.file": "(filen)",
        "doc.at": "linje {line}, kolonne {column}",
        "doc.cannot_read": "kan ikke læses: {reason}",
        "doc.not_regular": "er {kind}; {document} skal være en almindelig fil",
        "doc.too_large": "er større end {limit} byte, mere end {document} må fylde",
        "doc.not_utf8": "er ikke UTF-8-tekst; gem filen som UTF-8",
        "doc.directory": "en mappe",
        "doc.fifo": "en FIFO (navngivet rør)",
        "doc.character_device": "en tegnenhed (character device)",
        "doc.block_device": "en blokenhed (block device)",
        "doc.socket": "en socket",
        "doc.special": "ikke en almindelig fil",
        "doc.not_yaml": "er ikke gyldig YAML: {problem}",
        "doc.yaml_character": "er ikke gyldig YAML: den indeholder et tegn, YAML ikke tillader (tegn {position})",
        "doc.not_json": "er ikke gyldig JSON: {problem}",
        "doc.duplicate_key": "nøglen {key} står to gange",
        "doc.nested": "er indlejret mere end {limit} niveauer dybt",
        "doc.nested_aliases": "er indlejret mere end {limit} niveauer dybt, når dens aliaser er foldet ud",
        "doc.nested_json": "er indlejret for dybt",
        "doc.too_many": "har mere end {limit} værdier",
        "doc.too_many_aliases": "har mere end {limit} værdier, når dens aliaser er foldet ud",
        "doc.contains_itself": "er en værdi, der indeholder sig selv",
        "doc.too_slow": "tog mere end {seconds} sekunder at læse",
        "doc.not_finite": "er NaN eller uendelig; skriv et endeligt tal",
        # ---- the documents by kind (a document must be ...)
        "document.sources_registry": "et kilderegister",
        "document.tokens_file": "en tokenfil",
        "document.metrics_token_file": "en tokenfil til metrics",
        "document.target_file": "en målfil",
        "document.schema_file": "en skemafil",
        "document.settings_file": "en indstillingsfil",
        "document.snapshot_keys_file": "en nøglefil til øjebliksbilleder",
        "document.mapping_file": "en mapping-fil",
        "document.source_definition": "en kildedefinition",
        "document.reference_file": "en referencefil",
        "document.units_file": "en enhedsfil",
        "document.simulator_profile": "en simulatorprofil",
        "document.national_simulator_profile": "en national simulatorprofil",
        # ---- a target file's own checks (streams.documents.targets)
        "target.duplicate_id": "id'et {id} findes allerede ({first})",
        "target.national_scope": "en national målfil ({national}) dækker hele installationen: kun scope [_all]",
        "target.volume_only": "{field} hører kun til målet volume",
        "target.unknown_channel": "ukendt kanal {name}; kendte er: {known}",
        "target.unknown_type": "ukendt henvendelsestype {code}; kendte er: {known}",
        "target.no_direction": "kanalen {name} har ikke retningen {direction}",
        "target.share_channels": "channel_share skal have de kanaler, der tælles",
        "target.rate_kle": "self_service_rate skal have de KLE-opgaver, der har en selvbetjeningsløsning",
        "target.cost_numerator": "cost_per_inquiry har ingen numerator; vælg henvendelserne med denominator",
        "target.straks": "kanalen {name} kan ikke afklares ved første kontakt (STRAKS)",
        "target.rate_threshold": "{measure} er en andel mellem 0 og 1, men er {got} (skriv 40 % som 0.4)",
        "target.rate_value": "{measure} er en andel mellem 0 og 1, men er {got}",
        "target.baseline_deadline": "en baseline skal have en deadline (glidestien slutter der)",
        "target.not_before": "{day} ligger ikke før deadline {deadline}",
        "target.volume_parts": "volume har ingen numerator eller denominator; angiv med selection, hvad der tælles",
        "target.volume_selection": "volume skal have de henvendelser, det tæller (selection)",
        "target.volume_baseline": "volume skal have den basisvolumen, det sammenlignes med (baseline_volume)",
        "target.after_end": "{first} ligger efter periodens slutning {last}",
        "target.also_in": "{id} for kommune {municipality} findes også i {other}",
        # ---- the sources registry and the municipalities of a source (streams.documents.source_registry)
        "registry.empty": 'er tom; angiv de kommuner, kilden skriver for, fx ["183"]',
        "registry.not_a_list": '{value} er ikke en liste af kommunenumre, fx ["183"]',
        "registry.quotes": '{value} skal skrives i anførselstegn, fx "183"',
        "registry.not_a_municipality": "{value} er ikke et af Danmarks {count} kommunenumre",
        "registry.twice": "kommune {number} står to gange",
        "registry.not_a_mapping": "forventet er en tabel af kilde-id: {{municipalities: [...]}} med mindst én kilde",
        "registry.outside": (
            "kilden {source} har fået kommune {other}, men denne installation tæller kun kommune "
            "{municipality} ({variable}); fjern den, eller fjern {variable} for en installation med mange kommuner"
        ),
        # ---- a tokens file (streams.documents.tokens)
        "token.of_source": "tokenet for kilden {source}",
        "token.metrics": "metrics-tokenet",
        "token.not_a_string": "{whose} skal være en tekst",
        "token.empty": "{whose} er tomt; der skal mindst {least} tegn til",
        "token.short": "{whose} har {length} tegn; der skal mindst {least} til",
        "token.characters": (
            "{whose} har tegn, et bearer-token ikke kan have (tilladt: bogstaver, cifre, - . _ ~ + / og = til sidst)"
        ),
        "token.unknown_field": "kilden {source} har det ukendte felt {field}; tilladt er: token, municipalities",
        "token.needs": "kilden {source} skal have {field}",
        "token.plain": (
            "kilden {source} har et token alene, som skriver for installationens ene kommune, og "
            '{variable} er ikke sat; sæt den, eller skriv {name}: {{token: ..., municipalities: ["183"]}}'
        ),
        "token.not_a_mapping": "forventet er en tabel af kilde-id: bearer-token med mindst én kilde",
        "token.not_a_source": "{value} er ikke et kilde-id (små bogstaver, cifre, '_', '.', '-'; højst {limit} tegn)",
        "token.shared": "kilderne {first} og {second} deler et token; hver kilde skal have sit eget",
        "token.metrics_shared": "metrics-tokenet er også tokenet for kilden {source}; giv hver sit eget",
        # ---- a unit mapping (streams.documents.source_mappings)
        "mapping.not_a_mapping": "forventet er nøglerne municipality, departments og eventuelt tasks",
        "mapping.unknown_key": "ukendt nøgle {key}; tilladt er {allowed}",
        "mapping.municipality": (
            "municipality skal nævne en af de 98 kommuner ved nummer eller navn, fx 183 eller Ishøj, men er {given}"
        ),
        "mapping.department": "forventet er et afdelingsnavn, men er en {kind}",
        "mapping.table": "{section} skal være en tabel af kildens nøgler, men er {given}",
        "mapping.task": "forventet er kle og/eller inquiry_type",
        "mapping.kle": "{kle} er ikke et KLE-nummer NN.NN.NN",
        "mapping.inquiry_type": "{code} er ikke en af {allowed}",
        # settings, profiles, report inputs
        # ---- the settings (streams.documents.settings): "<where>: <setting> (<variable>) <problem>"
        "settings.configuration": "indstillingerne",
        "settings.command_line": "kommandolinjen",
        "settings.environment": "miljøvariablen {variable}",
        "settings.wrong_kind": "{origin}: {name} skal være {kind}, men er {got}",
        "settings.whole_number": "et helt tal",
        "settings.finite_number": "et endeligt tal",
        "settings.not_a_mapping": "forventet er en tabel af indstilling: værdi på øverste niveau",
        "settings.unknown": "ukendt indstilling {name}; kendte indstillinger: {known}",
        "settings.clock": "skal være 'wall' eller 'event', men er {got}",
        "settings.timezone": "{zone} er ikke en kendt tidszone; skriv fx Europe/Copenhagen",
        "settings.at_least": "skal være mindst {least}",
        "settings.least_second": "skal være mindst 1 sekund",
        "settings.least_day": "skal være mindst 1 dag",
        "settings.retention_days": (
            "skal være mindst {least}, for at vinduerne på 365 dage og år til dato kan tælle nøjagtigt"
        ),
        "settings.port": "skal være et portnummer mellem 0 og 65535",
        "settings.no_file": "peger på en fil, der ikke findes: {path}",
        "settings.not_regular": "peger på {path}, som ikke er en almindelig fil; angiv stien til en fil",
        "settings.department_series": "skal være 'auto', 'full' eller 'lean', men er {got}",
        "settings.municipality": "skal være et kommunenummer på 3 cifre, fx 183, men er {got}",
        "settings.batch_max": "skal være mellem 1 og 100000",
        "settings.fetch_max_wait_ms": "skal være mellem 1 og 30000 millisekunder",
        "settings.max_departments": (
            "skal være 0 (så mange, som seriebudgettet rummer) eller mere, og KOMHEN_MAX_MUNICIPALITIES mindst 1"
        ),
        "settings.max_series": "skal være mindst {least} (installationens egne serier)",
        "settings.source": "nævner {source}, som ikke er et kilde-id (små bogstaver, cifre, '.', '_', '-')",
        "settings.department": "nævner {pair}; skriv kommune/afdeling, fx 183/borgerservice",
        "settings.snapshot_interval": (
            "skal være 0 (ingen øjebliksbilleder) eller mellem 1 og {most} sekunder, men er {got}"
        ),
        "settings.cover_snapshots": (
            "skal dække tiden mellem to øjebliksbilleder ({interval} s) og en margen på en dag; "
            "sæt den til mindst {least}"
        ),
        "settings.no_snapshots": (
            "er {days} dage, men uden øjebliksbilleder (KOMHEN_SNAPSHOT_INTERVAL_S=0) genopbygger en genstart "
            "tilstanden fra input-emnet alene: sæt den til mindst {least}"
        ),
        "settings.security_protocol": "skal være PLAINTEXT, SSL, SASL_PLAINTEXT eller SASL_SSL",
        "settings.sasl_needs": "SASL kræver KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME og KAFKA_SASL_PASSWORD",
        "settings.sasl_mechanism": "skal være en af {choices}, men er {got}",
        "settings.tls_without_tls": "er sat, men KAFKA_SECURITY_PROTOCOL er {protocol}; brug SSL eller SASL_SSL",
        "settings.certificate_and_key": (
            "og KAFKA_SSL_KEYFILE hører sammen (gensidig TLS kræver både certifikatet og dets nøgle)"
        ),
        # ---- a simulator profile (streams.documents.profiles)
        "profile.not_a_channel": "{where} er ikke en kanal med retningen {direction}; kendte er: {known}",
        "profile.not_a_type": "{where} er ikke en KOMHEN-henvendelsestype; kendte er: {known}",
        "profile.municipality": (
            "municipality {value} er ikke en af de 98 kommuner; angiv dens nummer eller navn, fx 183 eller Ishøj"
        ),
        "profile.not_in_base": "{where} er ikke i basisprofilens kanalmiks; brug kun basisprofilens kanaler",
        "profile.population": "{where} er ikke et af de 98 kommunenumre",
        # ---- units and reference files of the status report (streams.documents.report_inputs)
        "report_input.cpr": "ligner et CPR-nummer; en rapport må ikke indeholde personoplysninger",
        "report_input.other_municipality": (
            "filen beskriver kommune {theirs}, men rapporten er for kommune {ours}; brug enhedsfilen for {ours}"
        ),
        # source definitions (streams.documents.source_mappings, the adapters' own sections, the sources
        # registry's start-up line, a unit name without letters, and a YAML or JSON file the parser refuses)
        "definition.needs": (
            "en kildedefinition skal have version: 1, source, records, fields, identity, time, inquiry og rules "
            "(se docs/sources.md)"
        ),
        "definition.encoding": "{encoding} er ikke en kendt tegnkodning; skriv fx utf-8, utf-16 eller cp1252",
        "definition.columns": "en CSV-fil uden overskriftslinje skal have kolonnernes navne i rækkefølge under columns",
        "definition.not_a_field": (
            "{name} er ikke et af felterne ({fields}); brug et af dem, eller tilføj det under fields"
        ),
        "definition.time_format": (
            "{format} er ikke iso, epoch, epoch_ms eller et strptime-mønster; skriv fx %d-%m-%Y %H:%M"
        ),
        "definition.not_one_of": "{value} er ikke en af {allowed}",
        "definition.direction": "kanalen {channel} tillader kun retningen {allowed}",
        "definition.or": " eller ",
        "definition.pattern": (
            "{pattern} er ikke et gyldigt regulært udtryk (fejlen står ved tegn {position}); ret mønsteret"
        ),
        "definition.pattern_somewhere": "{pattern} er ikke et gyldigt regulært udtryk; ret mønsteret",
        "section.not_a_table": "{name} skal være en tabel med nøglerne {allowed}",
        "section.names": "{where} skal være en liste af navne, men er {value}",
        "asterisk.contexts": (
            "angiv de dial contexts, opkald fra og til det offentlige net går igennem, fx "
            "inbound_contexts: [from-pstn, from-trunk] og outbound_contexts: [from-internal]"
        ),
        "asterisk.columns": "asterisk.columns skal nævne {missing} (navnene på CDR-variablerne)",
        "asterisk.call_columns": (
            "asterisk.columns skal nævne linkedid, uniqueid eller channel, så opkaldene kan skelnes"
        ),
        "department.no_slug": (
            "enheden {unit} har hverken bogstaver eller cifre at kende afdelingen på; giv den et navn med bogstaver "
            "eller cifre"
        ),
        "registry.municipality_setting": (
            "{value} er ikke et af Danmarks {count} kommunenumre; sæt den til kommunens nummer, fx 183 for Ishøj"
        ),
        "registry.open": (
            "intet kilderegister ({registry}) og ingen {municipality}: hver kilde må skrive for alle kommuner; "
            "en installation, som flere kommuner skriver til, skal angive, hvilke kommuner hver kilde skriver for"
        ),
        "registry.single": "hver kilde skriver kun for kommune {numbers} ({variable})",
        "registry.listed": ("kilderegister: {n} kilde, {sources}", "kilderegister: {n} kilder, {sources}"),
        "source.records": ("{n} post", "{n} poster"),
        "source.inquiries": ("{n} henvendelse", "{n} henvendelser"),
        "source.measures": ("{n} servicehændelse", "{n} servicehændelser"),
        "doc.yaml_syntax": "er ikke gyldig YAML; tjek indrykningen, kolonerne og anførselstegnene her eller lige før",
        "doc.yaml_tab": "er ikke gyldig YAML: en tabulator, hvor YAML kun tillader mellemrum; indryk med mellemrum",
        "doc.yaml_quote": (
            "er ikke gyldig YAML: et anførselstegn, der begynder her, lukkes aldrig; slut teksten med samme slags "
            "anførselstegn"
        ),
        "doc.yaml_alias": (
            "er ikke gyldig YAML: et alias (*navn) uden et anker (&navn) før det; sæt ankeret, eller skriv værdien ud"
        ),
        "doc.yaml_block": (
            "er ikke gyldig YAML: en værdi, der begynder med > eller |, læses som en tekstblok; sæt værdien i "
            "anførselstegn, fx '>='"
        ),
        "doc.yaml_documents": "er ikke gyldig YAML: et dokument mere (---) begynder her; filen må kun have ét",
        "doc.json_syntax": (
            "er ikke gyldig JSON; tjek kommaerne (intet efter det sidste), kolonerne, klammerne og de dobbelte "
            "anførselstegn her eller lige før"
        ),
        "publish.not_json": (
            "ikke gyldig JSON ({where}); tjek kommaerne (intet efter det sidste), kolonerne, klammerne og de dobbelte "
            "anførselstegn der eller lige før"
        ),
        "publish.in_line": "plads {position} i linjen",
        # worker and ingest logs (streams.worker, streams.ingress, streams.broker; a `Line` each)
        "log.held_back": "{line} (og {held} til af samme slags inden for de sidste {seconds} s)",
        "log.none": "ingen",
        "log.summaries_current": "hele kommunen er ajour i opsummeringsemnet",
        "log.summaries_stop_timeout": (
            "stopper: den igangværende runde af opsummeringer blev ikke færdig inden for {seconds} s; venter ikke"
        ),
        "log.summaries_publish_failed": (
            "{n} opsummering kunne ikke udgives; prøver igen",
            "{n} opsummeringer kunne ikke udgives; prøver igen",
        ),
        "log.summaries_follow_failed": "kunne ikke følge emnet {topic}; prøver igen om 5 s",
        "log.summaries_foreign": (
            "opsummeringsemnet havde {n} opsummeringer for kommuner, denne worker tæller, som den ikke selv har "
            "skrevet (den nyeste: {newest}); udgiver de talte dagsopgørelser igen"
        ),
        "log.snapshot_rebalance": (
            "et øjebliksbillede blev stadig skrevet, da partitionerne blev fordelt om; det bliver ikke gemt"
        ),
        "log.snapshot_development_key": (
            "KOMHEN_SNAPSHOT_KEYS er ikke sat: øjebliksbilleder signeres med den offentlige udviklingsnøgle, så "
            "enhver, der kan skrive til emnet med øjebliksbilleder, kan forfalske tallene; sæt "
            "KOMHEN_SNAPSHOT_KEYS_FILE til en hemmelig fil (docs/exact-counts.md, Snapshot keys)"
        ),
        "log.stop_no_kafka": "stopper: Kafka svarer ikke; intet sidste øjebliksbillede (det forrige gælder stadig)",
        "log.stop_snapshot_timeout": (
            "stopper: det sidste øjebliksbillede blev ikke skrevet inden for {seconds} s; det forrige gælder stadig"
        ),
        "log.stop_snapshot_written": (
            "stopper: øjebliksbillede af partition {partitions} skrevet ({size} bytes, {seconds} s)"
        ),
        "log.batch_failed": "optællingen af {n} poster fejlede; de læses igen med de næste",
        "log.assigned": "har fået partition {partitions} af emnet {topic}",
        "log.dropped_days": "slettede {n} dagsopgørelser ældre end {days} dage",
        "log.topics_missing": (
            "emnerne {topics} mangler og kan ikke oprettes ({error}); opret dem, som `komhen kubernetes` eller "
            "docker-compose's kafka-init beskriver dem"
        ),
        "log.topics_lost": (
            "emnerne {topics} var væk (brokeren mistede sine data, eller de blev slettet); oprettet igen: "
            "{created}; udgiver alle opsummeringer igen"
        ),
        "log.topics_back": "emnerne {topics} er tilbage, og alle opsummeringer er udgivet igen",
        "log.topics_created": "oprettede emnerne {topics}",
        "log.retention_short": (
            "emnet {topic} gemmer sine poster i {days} døgn, men KOMHEN_INPUT_RETENTION_DAYS er {wanted_days}: "
            "poster, en genstart har brug for, kan blive slettet; hæv retention.ms til {wanted} (kafka-configs.sh "
            "--alter --entity-type topics --entity-name {topic} --add-config retention.ms={wanted})"
        ),
        "log.retention_long": (
            "emnet {topic} gemmer sine poster i {days} døgn; med øjebliksbilleder er {wanted_days} nok "
            "(KOMHEN_INPUT_RETENTION_DAYS): når hver partition har et øjebliksbillede "
            "(komhen_snapshot_timestamp_seconds), kan du sænke det med kafka-configs.sh --alter --entity-type topics "
            "--entity-name {topic} --add-config retention.ms={wanted}"
        ),
        "log.leave_failed": (
            "kunne ikke forlade consumer-gruppen ({error}); gruppen fordeler partitionerne om, når sessionen udløber"
        ),
        "log.left_group": "forlod consumer-gruppen {group}",
        "log.consumer_stopped_offline": "consumeren stoppede, mens Kafka ikke svarede",
        "log.kafka_back": "Kafka på {servers} svarer igen efter {seconds} s",
        "log.kafka_gone": "Kafka på {servers} har ikke svaret siden {since}; optællingen venter, tallene er gemt",
        "log.offsets_lost": (
            "partition {partition}: consumer-gruppen har ingen offsets, selv om denne worker har talt til offset "
            "{offset}: emnet er oprettet igen, eller brokeren har mistet sine data; tæller partitionen igen ud fra "
            "det, emnet har nu"
        ),
        "log.restoring": "partition {partition}: genskaber tilstanden fra offset {start} til {end}",
        "log.restoring_all": "partition {partition}: genskaber tilstanden fra emnets begyndelse til offset {end}",
        "log.restored": "partition {partition}: tilstanden er genskabt ({n} poster læst)",
        "log.restore_failed": "partition {partition}: tilstanden kunne ikke genskabes; prøver igen om {seconds} s",
        "log.undelivered": "partition {partition}: posterne {first}..{last} kom ikke frem; læser dem",
        "log.dead_letter": "en post kunne ikke behandles ({detail}); den går til de afviste (dead letters)",
        "log.dead_letter_failed": "den afviste post {record} kunne ikke skrives til dead letters ({error})",
        "log.records_gone": (
            "partition {partition}: posterne før offset {offset} findes ikke længere i emnet; tallene er genskabt ud "
            "fra resten (tjek emnets retention.ms)"
        ),
        "log.records_missing": "{partition}: posterne før offset {offset} kom ikke; læste det, der kom",
        "log.snapshot_records_missing": (
            "øjebliksbilleder, partition {partition}: ingen poster fra offset {start} til {end}"
        ),
        "log.snapshot_unusable": (
            "partition {partition}: øjebliksbilledet kan ikke bruges ({reason}: {problem}); tæller partitionen igen "
            "fra begyndelsen af inputemnet, som har de sidste {days} dage (KOMHEN_INPUT_RETENTION_DAYS)"
        ),
        "log.snapshot_old_key": (
            "partition {partition}: øjebliksbilledet er signeret med en ældre nøgle; signerer det på ny"
        ),
        "log.snapshot_loaded": (
            "partition {partition}: tilstanden er hentet fra øjebliksbillede {seq} ({events} hændelser, {size} bytes, "
            "{days} dagsopgørelser) og dækker offsets før {covered}"
        ),
        "log.snapshot_gap": (
            "partition {partition}: inputposterne {first} til {last} efter øjebliksbilledet findes ikke længere i "
            "emnet, så deres hændelser er tabt; sæt KOMHEN_INPUT_RETENTION_DAYS længere end workerne kan være nede"
        ),
        "log.snapshot_gone": (
            "partition {partition}: emnet med øjebliksbilleder har ikke længere det nyeste (slettet eller oprettet "
            "igen); skriver hele tilstanden igen"
        ),
        "log.snapshot_writing": (
            "partition {partition}: skriver øjebliksbillede {seq} ({days} dagsopgørelser, {megabytes} MB)"
        ),
        "log.snapshot_revoked": (
            "partition {partition}: øjebliksbilledet blev ikke gemt, for partitionen blev imens givet til en anden"
        ),
        "log.snapshot_failed": (
            "partition {partition}: øjebliksbilledet kunne ikke skrives ({error}: {problem}); det forrige gælder "
            "stadig, prøver igen om {seconds} s"
        ),
        "log.summary_skipped": "en post i opsummeringsemnet blev sprunget over ({problem}): {record}",
        "log.departments_over_budget": (
            "{where}: {n} afdelinger ud over label-budgettet (KOMHEN_MAX_DEPARTMENTS={per_municipality} pr. kommune, "
            "KOMHEN_MAX_MUNICIPALITIES={municipalities}) eksporteres som department={other}; deres tal bevares. "
            "Angiv de rigtige afdelinger i en målfil eller i KOMHEN_DEPARTMENTS, eller find kilden, der finder på dem"
        ),
        "log.municipalities_over_budget": "kommuner ud over budgettet",
        "log.producer_dropped": "Kafka-produceren blev lukket og droppede de poster, Kafka ikke havde bekræftet",
        "log.ingest_all_rejected": (
            "kilde {source}: dens ene hændelse er afvist",
            "kilde {source}: alle {n} hændelser er afvist",
        ),
        "log.ingest_unconfirmed": (
            "kilde {source}: {n} hændelse er ikke bekræftet: {problem}",
            "kilde {source}: {n} hændelser er ikke bekræftet: {problem}",
        ),
        "log.ingest_accepted": "kilde {source}: {accepted} hændelser modtaget, {rejected} afvist",
        "log.records_all_rejected": (
            "kilde {source}: dens ene post er afvist",
            "kilde {source}: alle {n} poster er afvist",
        ),
        "log.records_read": (
            "kilde {source}: {records} poster, {inquiries} henvendelser, {service} servicehændelser, "
            "{skipped} sprunget over, {rejected} afvist"
        ),
        "log.ingest_listening": (
            "modtager hændelser fra kilderne {sources} på {url} (højst {connections} forbindelser, headere inden for "
            "{header_s} s, indhold inden for {body_s} s)"
        ),
        "log.ingest_record_sources": "kilder, der sender deres egne poster til {path}: {sources}",
        "log.metrics_token": "/metrics læses med metrics-tokenet",
        "log.metrics_loopback": "/metrics læses uden token, kun fra denne maskines loopback",
        "log.connection_refused": "forbindelse afvist: {n} forbindelser er åbne, og det er grænsen",
        "log.header_timeout": "forbindelse lukket: ingen hel forespørgsel inden for {seconds} s (header-timeout)",
        "log.kafka_unreachable": "kan ikke forbinde til Kafka på {servers}: {error}",
        "health.topics_unlooked": "Kafka svarede ikke; emnerne er ikke blevet tjekket siden",
        "health.topics_lost": "emnerne {topics} forsvandt med brokerens data; udgiver alle opsummeringer igen",
        # remaining lines
        "snapshot_keys.both": (
            "KOMHEN_SNAPSHOT_KEYS og KOMHEN_SNAPSHOT_KEYS_FILE er begge sat; angiv nøglerne i kun den ene af dem"
        ),
        "snapshot_keys.none": (
            "{origin} har ingen nøgle; skriv én nøgle pr. linje, fx det, `openssl rand -hex 32` skriver ud"
        ),
        "snapshot_keys.short": (
            "{origin}: nøgle {number} har {size} byte; en nøgle til øjebliksbilleder skal have mindst {least} "
            "(fx `openssl rand -hex 32`)"
        ),
        "snapshot_keys.twice": (
            "{origin} nævner en nøgle to gange; nævn hver nøgle én gang, den, der skrives med, først"
        ),
        "kafka.no_summaries": (
            "emnet {topic} findes ikke på {servers}: ingen worker har talt noget der endnu; start `komhen worker`, "
            "eller sæt KOMHEN_TOPIC (--topic) til det input-emne, jeres workers bruger"
        ),
        "kafka.partitions_input": (
            "emnet {topic} har {count} partitioner, men KOMHEN_PARTITIONS er {partitions}; sæt KOMHEN_PARTITIONS, så "
            "de passer (ændres antallet for et eksisterende emne, flytter afdelinger mellem partitionerne)"
        ),
        "kafka.partitions_other": (
            "emnet {topic} har {count} partitioner, men {input} har {partitions}; slet {topic} (det næste "
            "øjebliksbillede skriver det igen)"
        ),
        "kafka.tls_files": (
            "KAFKA_SSL_CAFILE, KAFKA_SSL_CERTFILE eller KAFKA_SSL_KEYFILE kan ikke bruges ({error}); angiv PEM-filer: "
            "klyngens CA og denne klients certifikat med dets nøgle"
        ),
        "ingest.no_token": "{path}: kilden {source} sender poster, men har intet token her; tilføj et",
        "ingest.beyond_workers": (
            "{path}: kilden {source} har fået kommune {municipality}, som workerne ikke lader den skrive for "
            "({where}); workerne ville afvise dens hændelser (dead letter): giv den lov der, eller fjern den her"
        ),
        "ingest.elsewhere": (
            (
                "{path}: --source {source} lægger sine poster i kommune {municipality}, men kilden {source} må kun "
                "skrive for kommune {allowed}"
            ),
            (
                "{path}: --source {source} lægger sine poster i kommune {municipality}, men kilden {source} må kun "
                "skrive for kommunerne {allowed}"
            ),
        ),
        "follow.state": "{path}: er ikke en tilstandsfil fra --follow; slet den, så læses alle filer igen",
        "kubernetes.name": "{what} {name} er ikke et Kubernetes-navn (små bogstaver, cifre og '-', højst 63 tegn)",
        "kubernetes.authentication": "--authentication skal være {choices}, men er {got}",
        "kubernetes.label": "{label} er ikke en Kubernetes-etiket (fx release=kube-prometheus-stack)",
        "kubernetes.insync": "min.insync.replicas skal være mellem 1 og emnernes replicas",
        "kubernetes.workers": (
            "{profile}: {workers} workers, men {partitions} partitioner (KOMHEN_PARTITIONS): en worker uden en "
            "partition venter bare; hæv partitionerne, eller sænk antallet af workers"
        ),
        "rules.clash": "målfilerne ville skrive den samme regelfil {names}; omdøb en af dem",
        "shipped.not_files": "komhen-live skal have sine pakkedata som filer; installér hjulet (wheel) med pip",
        "type.not_a_url": "{value!r} er ikke en adresse som https://grafana.kommune.dk",
        "grafana.no_connection": "ingen forbindelse",
        "grafana.timeout": "intet svar inden for {seconds} sekunder",
        "doc.null": "en tom værdi (null)",
        # ---- rejected records (streams.domain.events.inquiry.InvalidEvent) and descriptive findings (Finding):
        # the English is the record's detail, a contract with the source systems; keep it word for word
        "rejected.too_deep": "for dybt indlejret til at kunne læses som JSON (en hændelse er et fladt objekt)",
        "rejected.null": "{name} skal være tekst, men er tom (null)",
        "rejected.not_string": "{name} skal være tekst, men er {got}",
        "rejected.not_text": "{name} skal være tekst, men er {got}",
        "rejected.too_long": "{name} er {length} tegn lang; højst {limit} er tilladt",
        "rejected.not_expected": "{name} {value} er ikke {expected}",
        "rejected.municipality": (
            "municipality {value} er ikke et af Danmarks {count} kommunenumre (fx 183 for Ishøj)"
        ),
        "rejected.cpr_in_name": (
            "et feltnavn indeholder et CPR-lignende nummer; hændelser må ikke have personoplysninger"
        ),
        "rejected.cpr": "{name} indeholder et CPR-lignende nummer; hændelser må ikke have personoplysninger",
        "rejected.not_object": "en hændelse skal være et JSON-objekt, men er {got}",
        "rejected.service_not_object": "en driftshændelse skal være et JSON-objekt, men er {got}",
        "rejected.not_one_of": "{name} {value} er ikke en af {allowed}",
        "rejected.required": "{name} er påkrævet, men mangler",
        "rejected.missing": "{name} mangler",
        "rejected.missing_channel": "{name} (kanalen) mangler",
        "rejected.missing_direction": "{name} (retningen) mangler",
        "rejected.missing_time": "{names} mangler",
        "rejected.version": "schema_version {value} understøttes ikke (skal være 1)",
        "rejected.unknown_field": "ukendt felt {name}",
        "rejected.direction": "kanalen {channel} tillader retningen {allowed}, men hændelsen har {direction}",
        "rejected.future": "occurred_at {value} ligger mere end 5 minutter efter beskedens tidspunkt {received}",
        "rejected.service_future": "occurred_at ligger mere end 5 minutter efter beskedens tidspunkt",
        "rejected.too_old": "occurred_at {value} er ældre end opbevaringstiden på {days} dage",
        "rejected.service_too_old": "occurred_at er ældre end opbevaringstiden på {days} dage",
        "rejected.not_moment": "{name} {value} er ikke en gyldig dato og et gyldigt klokkeslæt",
        "rejected.not_time": "{name} {value} er ikke en dato og et klokkeslæt som 2026-11-16T08:02:11+01:00",
        "rejected.not_format": "{name} {value} er ikke et tidspunkt i formatet {formats}",
        "rejected.not_flag": "{name} {value} er hverken true eller false",
        "rejected.not_uuid": "{value} er ikke et UUID",
        "rejected.list": "{name} ({path}) er en liste, ikke en enkelt værdi",
        "rejected.object": "{name} ({path}) er et objekt, ikke en enkelt værdi",
        "rejected.key": "beskednøglen {message_key} er hverken hændelsens kommune {municipality} eller {department}",
        "rejected.batch_field": "ukendt felt {name} i batchens ramme",
        "rejected.batch_fields": "en batch skal have schema_version og events",
        "rejected.batch_version": "batchens schema_version {value} understøttes ikke",
        "rejected.batch_empty": "events skal være en liste med mindst én hændelse",
        "rejected.batch_size": "batchen har {size} hændelser; højst {limit} er tilladt",
        "rejected.unprocessable": (
            "workeren kunne ikke behandle posten ({error}); den gemmes her, så den kan undersøges"
        ),
        "rejected.source_unknown": "kilden {source} står ikke i kilderegistret",
        "rejected.source_elsewhere": (
            "kilden {source} må kun skrive for kommune {last}, ikke for {municipality}",
            "kilden {source} må kun skrive for kommunerne {numbers} og {last}, ikke for {municipality}",
        ),
        "rejected.no_slug": "enheden {unit} har hverken bogstaver eller cifre at kende afdelingen på",
        "rejected.no_rule": "ingen regel i {file} passer på posten ({tested})",
        "rejected.no_task": "{name} mangler, og mapping-filen har ingen opgave for blanketten {form}",
        "rejected.transaction": "en afsluttet transaktion er OPRET eller STATUS, ikke {value}",
        "rejected.teams_sessions": "opkaldsposten har ingen sessions: hent den med ?$expand=sessions",
        "rejected.digitalpost_route": "indgående Digital Post har route digital_mailbox eller ingen",
        "rejected.memo_version_missing": "memoVersion mangler på Message",
        "rejected.callback": "et tilbageopkald (callback_of) skal gå ud (direction out)",
        "rejected.komhen_no_municipality": "Kommune er tom; skriv kommunens nummer eller navn (fx 183 eller Ishøj)",
        "rejected.komhen_municipality": (
            "Kommune {value} er hverken et af de {count} kommunenumre eller et kommunenavn (fx 183 eller Ishøj)"
        ),
        "rejected.komhen_unit": "Enhed {unit} har hverken bogstaver eller cifre at kende afdelingen på",
        "rejected.komhen_no_channel": "Kanal er tom; skriv en KOMHEN-kanalkode (fx TLFIND)",
        "rejected.komhen_channel": "Kanal {value} er ikke en KOMHEN-kanalkode (fx TLFIND, PRSNLG, SLVBTJN)",
        "rejected.komhen_no_date": "Dato er tom; skriv datoen som DD-MM-ÅÅÅÅ TT:MM:SS",
        "rejected.komhen_date": "Dato {value} er ikke en dato DD-MM-ÅÅÅÅ TT:MM:SS",
        "rejected.komhen_too_old": (
            "Dato {value} er ældre end opbevaringstiden på {days} dage: en worker med vægur ville afvise den "
            "(importér med --clock event)"
        ),
        "rejected.fields": "linjen har {fields} felter, overskriften {header}",
        "rejected.record_not_object": "en post skal være et JSON-objekt, men er {got}",
        "rejected.not_encoding": "filen er ikke tekst i {encoding}",
        "rejected.no_records": "dokumentet har ingen poster under {paths}",
        "rejected.graph_not_object": "et svar fra Graph skal være et JSON-objekt",
        "rejected.graph_error": "Graph svarede med en fejl ({code}), ingen opkald",
        "rejected.graph_value": "value skal være en liste af opkaldslinjer eller opkaldsposter",
        "rejected.graph_record": "post {number} i value er ikke et JSON-objekt",
        "rejected.graph_kind": "hverken en opkaldslinje eller en opkaldspost",
        "rejected.cdr_fields": (
            "en cdr_csv-linje har 16 til 21 felter, denne {fields}; til cdr_custom skal kolonnerne stå i "
            "mapping-filens asterisk.columns"
        ),
        "rejected.cdr_columns": "linjen har {fields} felter, mapping-filens asterisk.columns {columns}",
        "rejected.cdr_start": "start {value} er ikke et tidspunkt som 2026-11-16 08:02:11",
        "rejected.cdr_call": "linjen har hverken linkedid, uniqueid eller channel",
        "rejected.memo_no_message": "ikke en MeMo-besked: intet Message-element i {namespace}",
        "finding.read_as": "{name} {value} læst som {kept}",
        "finding.left_out": "{name} {value} er ikke {expected}; udeladt, henvendelsen tælles med",
        "finding.other_department": (
            "department_name {value} er navnet på afdelingen {named}, ikke {department}; udeladt, henvendelsen "
            "tælles med"
        ),
        "finding.blank_name": "department_name {value} er tom ({what}); udeladt, henvendelsen tælles med",
        "finding.name_read_as": "department_name {value} læst som {kept}: {what}",
        "finding.no_duration": "{problem}; varigheden er udeladt",
        "finding.end_before_start": "{end} ligger før {start}; varigheden er udeladt",
        "finding.no_completion": "{problem}; udeladt",
        "finding.not_seconds": "{name} {value} er ikke et antal sekunder; varigheden er udeladt",
    }
)
