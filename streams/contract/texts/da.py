"""The command's lines in Danish (the default): the commands themselves.

The same keys as en.py; a pair is (one, many) by `n`."""

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
        "reason.folder": "det er en mappe",
        "reason.not_folder": "en del af stien er ikke en mappe",
        "reason.name_too_long": "navnet er for langt",
        "reason.link_loop": "for mange symbolske links, måske en løkke",
        "reason.io": "en ind- eller uddatafejl på disken",
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
    }
)
