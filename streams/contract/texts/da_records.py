"""A rejected record's and a finding's words in Danish (the default). The same keys as en_records.py."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

TEXTS: Mapping[str, str | tuple[str, str]] = MappingProxyType(
    {
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
        # a file or record a source adapter cannot read at all (never an event: no dead letter carries these)
        "rejected.not_json": (
            "ikke gyldig JSON ({error}); tjek kommaerne (intet efter det sidste), kolonerne, klammerne og de dobbelte "
            "anførselstegn der eller lige før"
        ),
        "rejected.file_unreadable": "filen kan ikke læses ({reason})",
        "rejected.memo_unreadable": "filen kan ikke læses ({reason})",
        "rejected.not_xml": (
            "ikke velformet XML (XML-læserens besked: {error}); er filen afbrudt eller rettet i hånden?"
        ),
        "rejected.not_csv_line": "ikke en CSV-linje (CSV-læserens besked: {error}); tjek anførselstegnene i linjen",
        "rejected.memo_refused": "afvist: {what}; MeMo-beskeder har ingen, og entiteter udfoldes aldrig",
        "rejected.memo_dtd": "filen erklærer en DTD",
        "rejected.memo_entities": "filen erklærer entiteter",
        "rejected.memo_external": "filen henviser til en ekstern ressource",
        "rejected.memo_too_deep": "ikke en MeMo-besked: elementerne ligger mere end {depth} niveauer dybt",
    }
)
