"""The topic watch's decisions on a broker's answers: vanished, made anew, or missing and not creatable.

A cluster that declares its topics (Strimzi) may give the worker no right to create one; the embedded
broker creates anything, so that answer is given here by a stand-in admin client. The watch against the
real broker: tests/integration/worker/test_reliability_broker_loss.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kafka.errors import TopicAuthorizationFailedError

from streams.broker.topics import TopicLook, TopicWatch, topic_specs
from streams.documents.settings import Settings

SETTINGS = Settings(bootstrap_servers="127.0.0.1:9", topic="inquiries")
NAMES = [s.name for s in topic_specs(SETTINGS)]


@dataclass
class Admin:
    """The broker's side of a look: its topics and their ids; creating may be refused."""

    topics: dict[str, str]
    refuse: bool = False
    created: list[str] = field(default_factory=list)

    def list_topics(self) -> list[str]:
        return list(self.topics)

    def describe_topics(self, names: list[str]) -> list[dict[str, Any]]:
        return [{"error_code": 0, "name": n, "topic_id": self.topics[n], "partitions": []} for n in names]

    def create_topics(self, new: list[Any]) -> None:
        if self.refuse:
            raise TopicAuthorizationFailedError()
        for topic in new:
            self.topics[topic.name] = f"new-{topic.name}"
            self.created.append(topic.name)

    def close(self) -> None:
        pass


def test_a_topic_that_vanished_is_created_and_one_made_anew_by_someone_else_is_seen() -> None:
    admin = Admin({name: f"id-{name}" for name in NAMES})
    watch = TopicWatch(SETTINGS, admin=lambda _: admin)
    assert watch.look() == TopicLook()
    del admin.topics["inquiries-summaries"]
    admin.topics["inquiries-dlq"] = "recreated-by-kafka-init"
    look = watch.look()
    assert look == TopicLook(("inquiries-summaries",), ("inquiries-summaries",), ("inquiries-dlq",))
    assert look.lost == ("inquiries-dlq", "inquiries-summaries") and admin.created == ["inquiries-summaries"]
    assert watch.look() == TopicLook()  # the new ids are the known ones now


def test_missing_topics_that_cannot_be_created_are_said_in_one_sentence_and_looked_for_again() -> None:
    admin = Admin({name: f"id-{name}" for name in NAMES if name != "inquiries-snapshots"}, refuse=True)
    watch = TopicWatch(SETTINGS, admin=lambda _: admin)
    look = watch.look()
    assert look.missing == ("inquiries-snapshots",) and look.created == ()
    assert look.problem == (
        "emnerne inquiries-snapshots mangler og kan ikke oprettes (TopicAuthorizationFailedError); opret dem, som "
        "`komhen kubernetes` eller docker-compose's kafka-init beskriver dem"
    )
    admin.refuse = False
    assert watch.look().created == ("inquiries-snapshots",)


def test_a_broker_without_topic_ids_is_watched_by_name_alone() -> None:
    admin = Admin({name: "" for name in NAMES})
    watch = TopicWatch(SETTINGS, admin=lambda _: admin)
    assert watch.look() == TopicLook()
    admin.topics["inquiries"] = "00000000-0000-0000-0000-000000000000"
    assert watch.look() == TopicLook()
