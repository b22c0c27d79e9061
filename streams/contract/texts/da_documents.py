"""A document's problems in Danish (the default): reading, schema, targets, registry, tokens, mappings,
settings, profiles, report inputs, source definitions. The same keys as en_documents.py."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

TEXTS: Mapping[str, str | tuple[str, str]] = MappingProxyType(
    {
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
    }
)
