"""komhen-live: continuous KOMHEN inquiry counting on Kafka, Faust and Prometheus."""

__version__ = "0.1.0"
