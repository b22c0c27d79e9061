"""`komhen --help` på dansk (standard): de samme nøgler som help_en.py (en pr. beskrivelse, resumé og flag)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

HELP: Mapping[str, str] = MappingProxyType(
    {
        # ---- argparse's own words (through its gettext `_`, streams.cli.common)
        "argparse.usage": "brug: ",
        "argparse.positionals": "argumenter",
        "argparse.options": "flag",
        "argparse.help": "vis denne hjælp og afslut",
        "help.version": "vis programmets version og afslut",
        # ---- komhen, and what every command takes
        "help.komhen": "komhen-live: tæl en kommunes henvendelser pr. kanal og afdeling, løbende (KOMHEN).",
        "help.komhen.epilog": (
            "Indstillinger kommer fra miljøvariabler (KAFKA_BOOTSTRAP_SERVERS, KOMHEN_*) og en valgfri YAML-fil, "
            "som KOMHEN_CONFIG peger på; flag går forud for begge. Alt, hvad kommandoen siger, er på dansk, eller "
            "på engelsk med --language en (KOMHEN_LANGUAGE=en). Afslutningsstatus: 0 færdig; 1 nogle hændelser "
            "eller rækker blev afvist (hver er listet, resten blev sendt); 2 en indstilling, et flag eller en fil "
            "kan ikke bruges; 3 Kafka eller Grafana svarede eller bekræftede ikke (kør den samme kommando igen: "
            "hændelser, der allerede er talt, tælles kun én gang); 130 afbrudt."
        ),
        "help.language": (
            "sproget for alt, hvad kommandoen siger: da (standard) eller en (miljøvariabel KOMHEN_LANGUAGE)"
        ),
        "help.topic": "emnet, der læses fra (miljøvariabel KOMHEN_TOPIC, standard inquiries)",
        "help.from": "første dag (ÅÅÅÅ-MM-DD)",
        "help.to": "sidste dag (ÅÅÅÅ-MM-DD)",
        "help.track_targets": "målfiler, der skal følges, eller medfølgende målfiler ved navn (KOMHEN_TARGETS)",
        "help.target_files": "målfiler, eller medfølgende målfiler ved navn (ishoej, albertslund, …)",
        "help.profile": (
            "trafikprofil (YAML), eller en medfølgende profil ved navn: ishoej, national (standard: ishoej; med "
            "--national national)"
        ),
        # ---- demo
        "help.demo": "kør broker, worker, simulator og metrikker på denne maskine, med en løbende tabel",
        "help.demo.about": (
            "Uden KAFKA_BOOTSTRAP_SERVERS: starter den indbyggede broker på loopback, opretter emnerne, kører en "
            "worker og en trafiksimulator, udstiller /metrics og viser kanalandele pr. afdeling. Ctrl-C stopper "
            "det hele."
        ),
        "help.demo.rate": "simulerede hændelser pr. sekund; 0 kører ingen simulator (standard 20)",
        "help.demo.duration": "stop efter så mange sekunder (standard: kør til Ctrl-C)",
        "help.demo.broker_port": "den indbyggede brokers port (standard 9092)",
        "help.demo.web_port": "workerens webport til /metrics (standard 6066)",
        "help.demo.clock": "vinduerne slutter nu (wall) eller ved den nyeste hændelse (event)",
        "help.demo.backfill_days": "simulér først så mange forløbne dage (standard 28)",
        "help.demo.window": "vinduet, tabellen viser (standard 7d)",
        "help.demo.national": (
            "alle 98 kommuner, skaleret efter indbyggertal, og den landsdækkende rangliste i stedet for afdelinger"
        ),
        # ---- worker
        "help.worker": "kør en tællende worker mod KAFKA_BOOTSTRAP_SERVERS",
        "help.worker.about": (
            "Læser emnet i consumer-gruppen KOMHEN_GROUP_ID, holder tællinger pr. dag og afdeling og udstiller "
            "/metrics og /health på webporten. Kør flere for at nå mere."
        ),
        "help.worker.web_port": "port til /metrics og /health (miljøvariabel KOMHEN_WEB_PORT, standard 6066)",
        "help.worker.web_host": "adressen, der lyttes på (miljøvariabel KOMHEN_WEB_HOST, standard 127.0.0.1)",
        "help.worker.clock": "vinduernes slutning: vægurets tid (wall) eller nyeste hændelse (event) (KOMHEN_CLOCK)",
        "help.worker.loglevel": "hvor meget workeren logger (standard info)",
        # ---- simulate
        "help.simulate": "send realistisk trafik, der kan gentages, for en kommune (eller alle 98: --national)",
        "help.simulate.about": (
            "Sender simulerede henvendelser efter en profil (afdelinger, kanalfordeling, åbningstider). Med "
            "--national alle kommuner i den landsdækkende profil, skaleret efter indbyggertal, hver med sin egen "
            "kanalfordeling. Samme --seed giver de samme hændelser."
        ),
        "help.simulate.rate": "hændelser pr. sekund (løbende, hændelsestid = nu)",
        "help.simulate.duration": "sekunder, der køres (standard: til Ctrl-C)",
        "help.simulate.national": "alle 98 kommuner, skaleret efter indbyggertal (den landsdækkende profil)",
        "help.simulate.seed": "startværdi for tilfældighederne (standard 1)",
        "help.simulate.backfill_days": "send først så mange hele forløbne dage",
        # ---- publish
        "help.publish": "tjek og send hændelser fra en JSON- eller NDJSON-fil",
        "help.publish.about": (
            "Læser én JSON-hændelse, en JSON-liste af hændelser eller NDJSON (en hændelse pr. linje) fra FILE "
            "eller standard input, tjekker hver hændelse, sender de gyldige samlet pr. kommune og lister de "
            "ugyldige med årsagen. Afslutningsstatus 1, hvis en hændelse blev afvist. Et eksempel: "
            "schemas/samples/inquiry-events.ndjson (med --shift-to-today ses det i 7-dagesvinduerne på enhver dag)."
        ),
        "help.publish.file": "filen, der læses, eller - for standard input",
        "help.publish.shift_to_today": (
            "til at prøve et eksempel: flyt alle hændelser det samme hele antal dage, så den nyeste falder i går "
            "(klokkeslæt og hændelses-id'er bevares, så en ny afsendelse ikke tælles to gange)"
        ),
        # ---- source
        "help.source": "send et kildesystems poster ({sources}, eller en mappingfil)",
        "help.source.about": (
            "Oversætter et systems egne poster til henvendelseshændelser (og servicemål som opgivne opkald eller "
            "udeblivelser) og sender dem. SYSTEM er en af {sources}, eller jeres egen kilde-mappingfil "
            "(schemas/source-mapping.v1.json, docs/sources.md). Eksempler på input og mappingfiler ligger i "
            "schemas/samples/ og tests/data/sources/."
        ),
        "help.source.system": "et kildenavn eller en kilde-mappingfil",
        "help.source.files": "filer, der sendes; en mappe: alle dens filer",
        "help.source.follow": "bliv derefter ved med at sende nye filer i DIR",
        "help.source.mapping": (
            "YAML: kommune og enhedsnøgle (kø, blanket, filial …) -> afdeling; skal med, medmindre "
            "kilde-mappingfilen selv angiver kommunen"
        ),
        # ---- ingest
        "help.ingest": "HTTP-indgang for kildesystemer, der ikke kan tale med Kafka",
        "help.ingest.about": (
            "Tager imod POST /v1/events (én JSON-hændelse, en JSON-liste eller NDJSON) med et bearer-token pr. "
            "kilde (schemas/ingest-openapi.v1.yaml). Svarer 202 først, når Kafka har bekræftet hver modtaget "
            "hændelse, 503, hvis det ikke kan bekræftes, og lister hver ugyldig hændelse med nummer og årsag."
        ),
        "help.ingest.host": "adressen, der lyttes på (standard 127.0.0.1)",
        "help.ingest.port": "port (standard 8080)",
        "help.ingest.tokens": (
            "YAML, der giver hver kilde-id sit bearer-token og sine kommuner (schemas/ingest-tokens.v1.json)"
        ),
        "help.ingest.metrics_token": (
            "en fil med det bearer-token, der må læse /metrics (Prometheus'); uden den svarer /metrics kun "
            "denne maskines loopback"
        ),
        "help.ingest.max_body_bytes": "største forespørgsel, også efter udpakning (5 MB)",
        "help.ingest.header_timeout": "sekunder, en forbindelse har til at sende hele headeren (10)",
        "help.ingest.body_timeout": "sekunder, en klient har til at sende indholdet (30)",
        "help.ingest.max_connections": "forbindelser, der betjenes ad gangen; flere får 503 (256)",
        "help.ingest.source": (
            "lad et kildesystem sende sine egne poster til POST /v1/sources/<source>/records, læst som "
            "`komhen source NAME --mapping MAPPING` læser dem (fx os2forms=forms.yaml, eller en kilde-mappingfil, "
            "der angiver kommunen); gentag for flere kilder"
        ),
        # ---- import
        "help.import": "importér KOMHEN-tælleugefiler (udtræk fra TraceTool / Det Digitale Landkort)",
        "help.import.about": (
            "Læser ;-separerede KOMHEN-udtræk (Latin-1 eller UTF-8, CRLF, lokale kolonner, tomme enheder, "
            "kommune som nummer eller navn) og sender en hændelse pr. række med id'er udledt af filen, så en fil, "
            "der importeres to gange, tælles én gang. En række afvises kun, når dens kommune, enhed, kanal eller "
            "dato ikke kan læses, og listes med fil, linje og årsag; skæve beskrivende værdier (Opgave, Type, "
            "Afslutning, Blanket, tider) rettes eller udelades og opsummeres, og rækkerne tælles med. Med vægurets "
            "tid (standard, som workerens) sendes rækker ældre end opbevaringstiden ikke, da sådan en worker ville "
            "afvise dem: importér gamle tælleuger med --clock event til en worker startet med --clock event. "
            "Afslutningsstatus 1, hvis en række blev afvist eller holdt tilbage."
        ),
        "help.import.files": "KOMHEN-udtræk",
        "help.import.dry_run": "tjek og opsummér, send intet",
        "help.import.clock": (
            "workernes ur (miljøvariabel KOMHEN_CLOCK, standard wall): med wall holdes rækker ældre end "
            "opbevaringstiden (KOMHEN_RETENTION_DAYS) tilbage og listes"
        ),
        # ---- export
        "help.export": "skriv KL's KOMHEN-uploadfil ud fra det talte",
        "help.export.about": (
            "Læser alle workeres talte tilstand (emnet med opsummeringer, frem til hvor det sluttede, da "
            "kommandoen startede) og skriver KL's uploadformat KommuneID;Enhed;KLE Opgave kode;Henvendelses Kanal;"
            "Henvendelses type;Afslutning;Blanket;Dato, en række pr. henvendelse, dateret pr. dag, med hver "
            "enheds navn, som henvendelserne gav det (danske bogstaver), som standard i Latin-1, som KL's upload "
            "forventer."
        ),
        "help.export.format": "filens format (standard komhen-csv, KL's upload)",
        "help.export.output": "filen, der skrives (standard: standard output)",
        "help.export.encoding": "latin-1 (standard), utf-8 eller utf-8-sig",
        "help.export.municipality": "kun denne kommune: dens nummer eller navn (183, Ishøj)",
        # ---- report
        "help.report": "rapporter over det talte: selfservice (pr. KLE-opgave), status (rapporten til udvalget)",
        "help.report.about": (
            "selfservice: gennemførte / påbegyndte selvbetjeningsforsøg pr. afdeling og KLE-opgave. status: "
            "statusrapporten om digitalisering og kanalstrategi for en periode, som HTML, CSV og PDF. Begge "
            "læser alle workeres talte tilstand (emnet med opsummeringer, frem til hvor det sluttede, da "
            "kommandoen startede); status kan læse KOMHEN-udtræk i stedet."
        ),
        "help.selfservice": "gennemførte / påbegyndte selvbetjeningsforsøg pr. afdeling og KLE-opgave",
        "help.selfservice.about": (
            "Gennemførte / påbegyndte selvbetjeningsforsøg pr. afdeling og KLE-opgave, ud fra alle workeres "
            "talte tilstand."
        ),
        "help.status": "statusrapporten om digitalisering og kanalstrategi (HTML, CSV, PDF)",
        "help.status.about": (
            "Skriver statusrapporten for en kommune (eller nogle af dens afdelinger) og en periode, sammenlignet "
            "med den lige så lange periode før eller en basisperiode: nøgletal, kanalfordeling, udvikling, mål, "
            "tabeller pr. enhed og fund efter dokumenterede regler, på dansk; hvor data rummer andre kommuner, "
            "kommunens plads blandt dem på hvert mål i ranglisten (KOMHEN_LEAGUE_MIN_INQUIRIES). Resultat: en "
            "mappe med status.html (samlet i én fil, kan printes på A4), csv/*.csv (tabellerne, til Excel) og, med "
            "--pdf, status.pdf. Læser det talte fra Kafka, eller KOMHEN-udtræk med --from-file (uden broker)."
        ),
        "help.status.period": "periode (en af dem; fra filer er standard filernes første til sidste dag)",
        "help.status.from": "periodens første dag",
        "help.status.to": "periodens sidste dag",
        "help.status.counting_weeks": "ISO-uger, fx 2015-W45:W47",
        "help.status.baseline": "sammenlignet med (standard: den lige så lange periode lige før)",
        "help.status.baseline_from": "basisperiodens første dag",
        "help.status.baseline_to": "basisperiodens sidste dag",
        "help.status.baseline_counting_weeks": "basisperiodens ISO-uger, fx 2014-W45:W47",
        "help.status.municipality": "kommunens nummer eller navn (skal med, hvis data rummer flere)",
        "help.status.department": "kun denne afdeling (kan gentages)",
        "help.status.units": "visningsnavne og grupper (report-units.v1)",
        "help.status.group": "kun afdelingerne i denne gruppe fra --units (en forvaltning)",
        "help.status.reference": (
            "værdier at sammenligne med (report-reference.v1), eller en medfølgende ved navn: "
            "landsgennemsnit-2013; eller fra det talte over samme periode: landet (alle kommuners summer), "
            "gennemsnitskommunen eller mediankommunen (af kommunerne med henvendelser nok)"
        ),
        "help.status.targets": "målfiler, eller medfølgende målfiler ved navn: albertslund, ishoej, … (KOMHEN_TARGETS)",
        "help.status.min_inquiries": (
            "ingen vurdering af et mål eller et andelsbaseret fund under N henvendelser (standard {n})"
        ),
        "help.status.trend": "udvikling pr. uge eller måned",
        "help.status.from_file": "KOMHEN-udtræk i stedet for Kafka",
        "help.status.output": "mappen, der skrives (standard: status-NNN-…)",
        "help.status.pdf": "print også status.pdf med Chromium uden skærm",
        "help.status.chromium": "den Chromium, der printes med (standard: den, der findes på PATH)",
        # ---- rules, dashboards, grafana, kubernetes
        "help.rules": "Prometheus-regler ud fra målfiler",
        "help.rules.generate": "skriv optagelsesregler og alarmer for målfiler",
        "help.rules.generate.about": (
            "Skriver en regelfil pr. målfil og driftsreglerne. En målfil med en fejl afvises med filen, feltet og "
            "hvad der er galt, og intet skrives."
        ),
        "help.rules.out": "mappen, der skrives i (standard deploy/prometheus/rules)",
        "help.dashboards": "Grafana-dashboards ud fra koden og målfiler",
        "help.dashboards.build": "skriv dashboardenes JSON",
        "help.dashboards.build.about": (
            "Skriver Kanalstrategi – overblik (et pr. kommune med målfiler), Afdeling og Datakilder og drift i "
            "mappen dashboards, tjekket mod schemas/grafana-dashboard.subset.json."
        ),
        "help.dashboards.target_files": "målfiler, eller medfølgende målfiler ved navn (standard: alle de medfølgende)",
        "help.dashboards.out": "mappen, der skrives i (standard dashboards)",
        "help.grafana": "læg dashboardene i en eksisterende Grafana",
        "help.grafana.push": "opret eller opdatér mappen, datakilden (valgfrit) og hvert dashboard",
        "help.grafana.push.about": (
            "Kan gentages: sammenligner med det, Grafana har, og skriver kun forskellene; en kørsel mere ændrer "
            "intet og siger det. Kræver et service-account-token med rollen Editor (Admin for at oprette "
            "datakilden)."
        ),
        "help.grafana.url": "Grafanas grundadresse, fx https://grafana.kommune.dk",
        "help.grafana.token": "service-account-token (eller gem det i en fil og brug $(cat …))",
        "help.grafana.folder": "mappens navn (standard Kanalstrategi)",
        "help.grafana.datasource_url": "opret/opdatér også Prometheus-datakilden, der peger hertil",
        "help.grafana.dashboards": "mappen med dashboardenes JSON (standard dashboards)",
        "help.kubernetes": (
            "Kubernetes-manifester: workers, ingest, Strimzi-emner og -brugere, monitorer, regler, dashboards"
        ),
        "help.kubernetes.about": (
            "Skriver en kustomize-base og to overlays (en-kommune, mange-kommuner) ud fra indstillingerne "
            "(KOMHEN_TOPIC, KOMHEN_PARTITIONS, opbevaringstid …) og målfilerne: de samme regler og dashboards som "
            "`komhen rules generate` og `komhen dashboards build`. Anvend med `kubectl apply -k "
            "OUT/overlays/NAME`; docs/production.md siger, hvad hvert objekt er til."
        ),
        "help.kubernetes.sources_registry": (
            "hvilke kommuner hver kilde må skrive for (schemas/source-registry.v1.json, fx "
            "deploy/sources-registry.yaml): et ConfigMap, som workerne og ingest læser, og en KafkaUser pr. kilde"
        ),
        "help.kubernetes.out": "mappen, der skrives i (standard deploy/kubernetes)",
        "help.kubernetes.namespace": "namespace for hvert objekt (standard komhen)",
        "help.kubernetes.kafka_cluster": "navnet på Strimzis Kafka-ressource (standard kafka)",
        "help.kubernetes.authentication": (
            "hvordan hver komponent logger ind i Kafka (KafkaUser), over TLS i begge tilfælde (standard scram-sha-512)"
        ),
        "help.kubernetes.monitoring_label": (
            "label på PrometheusRules og monitorer, til kube-prometheus-stacks selektorer "
            "(standard release=kube-prometheus-stack; gentag for flere)"
        ),
        "help.kubernetes.monitoring_namespace": "namespace, Prometheus henter fra (standard monitoring)",
    }
)
